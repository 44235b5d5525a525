// Packs dist/browser-demo.buf: the ui-counter guest unmodified as the entry, plus sections a browser profile
// must NOT download (a French string table, desktop-only art, an intro video over the page's byte budget),
// signed with the repository's dev key. `--if-missing` skips the work when the artifact already exists.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packExample } from '@fayger/build-examples';

const dir = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(dir, 'dist', 'browser-demo.buf');
if (process.argv.includes('--if-missing') && existsSync(out)) process.exit(0);

const wasm = join(dir, '..', 'ui-counter', 'dist', 'ui-counter.wasm');
if (!existsSync(wasm)) {
  console.error(
    `building the browser demo: expected ${wasm}, found nothing; run \`pnpm turbo run build --filter @fayger/example-ui-counter\` first`,
  );
  process.exit(1);
}

/** Deterministic filler (xorshift32), so the artifact is byte-identical on every build. */
function filler(length, seed) {
  const b = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

const parts = join(dir, 'dist', 'parts');
await mkdir(parts, { recursive: true });
await copyFile(wasm, join(parts, 'ui-counter.wasm'));
await writeFile(
  join(parts, 'strings.en.json'),
  JSON.stringify({ title: 'Fayger browser demo', subtitle: 'a signed BuF, fetched by HTTP Range' }),
);
await writeFile(
  join(parts, 'strings.fr.json'),
  JSON.stringify({ title: 'Démo navigateur Fayger', subtitle: 'un BuF signé, lu par requêtes Range' }),
);
await writeFile(join(parts, 'art.desktop.bin'), filler(192 * 1024, 7));
await writeFile(join(parts, 'intro.video.bin'), filler(512 * 1024, 11));
const buf = await packExample(dir);
console.log(`packed ${buf}`);
