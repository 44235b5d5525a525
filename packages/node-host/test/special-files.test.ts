import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaygerError, type CapabilityGrant, type CapabilityName } from '@fayger/contracts';
import { ConfinedFs, appStateDir, encodePathSegment } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'fayger-special-'));
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const grants = new Map<CapabilityName, CapabilityGrant>([
  ['fs.read', { name: 'fs.read', scope: { roots: ['/data'] } } as CapabilityGrant],
  ['fs.write', { name: 'fs.write', scope: { roots: ['/data'] } } as CapabilityGrant],
]);
const ctx = { grants, remaining: {} };

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (FaygerError.is(e)) return e.code;
    throw e;
  }
}

const canMkfifo = (() => {
  try {
    execFileSync('mkfifo', [join(dir, 'probe-fifo')]);
    return true;
  } catch {
    return false;
  }
})();

describe('ConfinedFs: special files are refused, never opened blocking', () => {
  it.skipIf(!canMkfifo)('a FIFO with no writer: read, stat and write end at once in ADAPTER_SPECIAL_FILE', async () => {
    const root = join(dir, 'fifo-root');
    mkdirSync(root);
    execFileSync('mkfifo', [join(root, 'pipe')]);
    writeFileSync(join(root, 'plain.txt'), 'plain');
    const fs = new ConfinedFs({ mounts: [{ guest: '/data', host: root }] });
    // Each of these would block a libuv thread forever if the FIFO were opened without O_NONBLOCK; the test
    // file's own timeout (not a timing assertion) would then fail it.
    expect(await code(fs.read({ path: '/data/pipe' }, ctx))).toBe('ADAPTER_SPECIAL_FILE');
    expect(await code(fs.stat({ path: '/data/pipe' }, ctx))).toBe('ADAPTER_SPECIAL_FILE');
    expect(await code(fs.write({ path: '/data/pipe', data: new Uint8Array([1]) }, ctx))).toBe('ADAPTER_SPECIAL_FILE');
    const err = (await fs.read({ path: '/data/pipe' }, ctx).catch((e: unknown) => e)) as FaygerError;
    expect(err.message).toContain('FIFO');
    expect(err.message).not.toContain(root);
    // Listing the directory shows it as "other" without opening it; regular files still work.
    expect((await fs.list({ path: '/data' }, ctx)).entries).toContainEqual(
      expect.objectContaining({ name: 'pipe', type: 'other' }),
    );
    expect(new TextDecoder().decode((await fs.read({ path: '/data/plain.txt' }, ctx)).data)).toBe('plain');
  });

  it('a Unix socket is refused the same way', async () => {
    const root = join(dir, 'sock-root');
    mkdirSync(root);
    const s = createServer();
    servers.push(s);
    await new Promise<void>((r) => s.listen(join(root, 'sock'), r));
    const fs = new ConfinedFs({ mounts: [{ guest: '/data', host: root }] });
    expect(await code(fs.read({ path: '/data/sock' }, ctx))).toBe('ADAPTER_SPECIAL_FILE');
    expect(await code(fs.write({ path: '/data/sock', data: new Uint8Array([1]) }, ctx))).toBe('ADAPTER_SPECIAL_FILE');
  });

  it.skipIf(process.platform !== 'linux')(
    'a device reached through a granted root is refused before it is opened',
    async () => {
      const root = join(dir, 'dev-root');
      mkdirSync(root);
      const fs = new ConfinedFs({
        mounts: [
          { guest: '/data', host: root },
          { guest: '/dev', host: '/dev', readOnly: true },
        ],
      });
      const devGrants = new Map(grants);
      devGrants.set('fs.read', { name: 'fs.read', scope: { roots: ['/data', '/dev'] } } as CapabilityGrant);
      expect(await code(fs.read({ path: '/dev/zero' }, { grants: devGrants, remaining: {} }))).toBe(
        'ADAPTER_SPECIAL_FILE',
      );
    },
  );
});

describe('per-app state directories', () => {
  it('encode publisher and id injectively into safe path segments', () => {
    const names = [
      'com.a.app',
      'com.A.app',
      'com.a/app',
      'com.a%2Fapp',
      '..',
      '.hidden',
      'a:b',
      'x'.repeat(300),
      `${'x'.repeat(299)}y`,
      '%',
      'a~b',
    ];
    const segs = names.map(encodePathSegment);
    expect(new Set(segs).size).toBe(names.length);
    for (const s of segs) {
      expect(s).toMatch(/^[a-z0-9_.%~A-F-]+$/);
      expect(s.startsWith('.')).toBe(false);
      expect(s.length).toBeLessThanOrEqual(120);
    }
    // Case-insensitive file systems: no two segments differ only by case.
    expect(new Set(segs.map((s) => s.toLowerCase())).size).toBe(names.length);
    expect(encodePathSegment('com.a.app')).toBe('com.a.app');
  });

  it('keep every app under <stateDir>/apps, one directory per (publisher, id)', () => {
    const a = appStateDir('/state', { publisher: 'com.a', id: 'com.a.wallet' });
    const b = appStateDir('/state', { publisher: 'com.b', id: 'com.a.wallet' });
    const evil = appStateDir('/state', { publisher: 'com.b', id: '../../com.a/com.a.wallet' });
    expect(a).toBe('/state/apps/com.a/com.a.wallet');
    expect(new Set([a, b, evil]).size).toBe(3);
    expect(evil.startsWith('/state/apps/com.b/')).toBe(true);
    expect(evil.split('/')).toHaveLength(5);
  });
});
