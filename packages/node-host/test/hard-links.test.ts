import {
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaygerError, type CapabilityGrant, type CapabilityName } from '@fayger/contracts';
import { ConfinedFs } from '../src/index.js';

/**
 * Hard links: a file with several names is written through like any other once the guest's path is confined
 * (the security argument is in confined-fs.ts and docs/abi.md). What must stay impossible: naming a directory or
 * a file outside the root, or a read-only root's file, through a link the guest makes.
 */

const dir = mkdtempSync(join(tmpdir(), 'fayger-hardlinks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function grantsFor(read: string[], write: string[]): Map<CapabilityName, CapabilityGrant> {
  return new Map<CapabilityName, CapabilityGrant>([
    ['fs.read', { name: 'fs.read', scope: { roots: read } } as CapabilityGrant],
    ['fs.write', { name: 'fs.write', scope: { roots: write } } as CapabilityGrant],
  ]);
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (FaygerError.is(e)) return e.code;
    throw e;
  }
}

function setup(name: string) {
  const base = join(dir, name);
  const data = join(base, 'data');
  const ro = join(base, 'ro');
  const outside = join(base, 'outside');
  for (const d of [data, ro, outside]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ro, 'ro.txt'), 'READ-ONLY');
  writeFileSync(join(outside, 'secret.txt'), 'SECRET');
  writeFileSync(join(data, 'a.txt'), 'first');
  const fs = new ConfinedFs({
    mounts: [
      { guest: '/data', host: data },
      { guest: '/ro', host: ro, readOnly: true },
    ],
  });
  const ctx = { grants: grantsFor(['/data', '/ro'], ['/data']), remaining: {} };
  return { base, data, ro, outside, fs, ctx };
}

describe('ConfinedFs: hard links', () => {
  it('a link the guest makes is written through (write, append, offset, truncate) and both names see it', async () => {
    const { data, fs, ctx } = setup('guest-made');
    await fs.link({ from: '/data/a.txt', to: '/data/b.txt' }, ctx);
    expect(Number(statSync(join(data, 'a.txt')).nlink)).toBe(2);
    expect((await fs.stat({ path: '/data/b.txt' }, ctx)).nlink).toBe(2);

    await fs.write({ path: '/data/b.txt', data: enc('hello') }, ctx);
    expect(readFileSync(join(data, 'a.txt'), 'utf8')).toBe('hello');
    await fs.write({ path: '/data/a.txt', data: enc(' world'), append: true }, ctx);
    expect(dec((await fs.read({ path: '/data/b.txt' }, ctx)).data)).toBe('hello world');
    await fs.write({ path: '/data/b.txt', data: enc('J'), offset: 0 }, ctx);
    await fs.truncate({ path: '/data/b.txt', size: 5 }, ctx);
    expect(readFileSync(join(data, 'a.txt'), 'utf8')).toBe('Jello');
    // Still one inode: the write went through the link, it did not replace it.
    expect(lstatSync(join(data, 'a.txt')).ino).toBe(lstatSync(join(data, 'b.txt')).ino);
  });

  it('a link that already exists inside the root (made by the host) is an ordinary file there', async () => {
    const { data, outside, fs, ctx } = setup('host-made');
    writeFileSync(join(outside, 'shared.txt'), 'shared');
    linkSync(join(outside, 'shared.txt'), join(data, 'shared.txt'));
    await fs.write({ path: '/data/shared.txt', data: enc('+more'), append: true }, ctx);
    // The host chose to share this inode with the root; its other name sees the write...
    expect(readFileSync(join(outside, 'shared.txt'), 'utf8')).toBe('shared+more');
    // ...but the guest still cannot name anything outside by path.
    expect(await code(fs.read({ path: '/data/../outside/secret.txt' }, ctx))).toBe('CAPABILITY_SCOPE_DENIED');
    expect(await code(fs.write({ path: '/data/../outside/shared.txt', data: enc('x') }, ctx))).toBe(
      'CAPABILITY_SCOPE_DENIED',
    );
  });

  it('the guest cannot link a directory, a read-only file, or a file outside the root', async () => {
    const { data, ro, outside, fs, ctx } = setup('refused');
    mkdirSync(join(data, 'sub'));
    symlinkSync(join(ro, 'ro.txt'), join(data, 'to-ro'));
    symlinkSync(join(outside, 'secret.txt'), join(data, 'to-out'));
    symlinkSync(outside, join(data, 'out-dir'));
    const denied = (p: Promise<unknown>) =>
      code(p).then((c) => expect(['CAPABILITY_SCOPE_DENIED', 'ADAPTER_IO_FAILED']).toContain(c));

    // A directory never gets a second name (link(2) would refuse too: EPERM).
    expect(await code(fs.link({ from: '/data/sub', to: '/data/sub2' }, ctx))).toBe('ADAPTER_IO_FAILED');
    expect(await code(fs.link({ from: '/data', to: '/data/root2' }, ctx))).not.toBe('ok');
    // A read-only root's file: refused by the grant (no fs.write there) and, forged past it, by the mount.
    expect(await code(fs.link({ from: '/ro/ro.txt', to: '/data/ro-link' }, ctx))).toBe('CAPABILITY_SCOPE_DENIED');
    expect(
      await code(fs.link({ from: '/ro/ro.txt', to: '/data/ro-link' }, { ...ctx, grants: grantsFor(['/'], ['/']) })),
    ).toBe('CAPABILITY_SCOPE_DENIED');
    await denied(fs.link({ from: '/data/to-ro', to: '/data/ro-link', follow: true }, ctx));
    // Outside: by path, and through a symlink followed or not.
    expect(await code(fs.link({ from: '/data/../outside/secret.txt', to: '/data/s' }, ctx))).toBe(
      'CAPABILITY_SCOPE_DENIED',
    );
    await denied(fs.link({ from: '/data/to-out', to: '/data/s', follow: true }, ctx));
    await denied(fs.link({ from: '/data/out-dir/secret.txt', to: '/data/s' }, ctx));
    await denied(fs.link({ from: '/data/a.txt', to: '/data/out-dir/planted.txt' }, ctx));
    // Without follow a final symlink is linked as itself (Linux) or refused (where link(2) follows it): never
    // a name for the file it points to.
    const r = await code(fs.link({ from: '/data/to-out', to: '/data/s2' }, ctx));
    if (r === 'ok') expect(lstatSync(join(data, 's2')).isSymbolicLink()).toBe(true);
    else expect(r).toBe('CAPABILITY_SCOPE_DENIED');
    expect(await code(fs.write({ path: '/data/s2', data: enc('PWNED') }, ctx))).toBe('CAPABILITY_SCOPE_DENIED');

    expect(readFileSync(join(ro, 'ro.txt'), 'utf8')).toBe('READ-ONLY');
    expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('SECRET');
    expect(Number(statSync(join(ro, 'ro.txt')).nlink)).toBe(1);
    expect(Number(statSync(join(outside, 'secret.txt')).nlink)).toBe(1);
  });
});
