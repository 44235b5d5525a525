import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The main entry must bundle for browsers: nothing outside src/node* may import a node: module, and src/
// may import no package but @fayger/contracts (layer rule) and the few small, browser-safe libraries the S3 and
// IPFS sources are built on (a SigV4 signer and the IPFS project's own codecs).
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('entry purity', () => {
  const src = join(__dirname, '..', 'src');
  const all = files(src).map((f) => ({ f: relative(src, f), text: readFileSync(f, 'utf8') }));
  const imports = (text: string) => [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);

  it('has no node: import outside the ./node subpath', () => {
    const offenders = all.filter(
      ({ f, text }) => !f.startsWith('node') && imports(text).some((i) => i.startsWith('node:')),
    );
    expect(offenders.map((o) => o.f)).toEqual([]);
  });

  const ALLOWED = /^(@fayger\/contracts|aws4fetch|multiformats(\/.*)?|@ipld\/dag-pb|ipfs-unixfs)$/;
  it('imports no package but @fayger/contracts and the allow-listed source libraries', () => {
    const external = all.flatMap(({ f, text }) =>
      imports(text)
        .filter((i) => !i.startsWith('.') && !i.startsWith('node:') && !ALLOWED.test(i))
        .map((i) => `${f}: ${i}`),
    );
    expect(external).toEqual([]);
  });
});
