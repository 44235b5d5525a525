import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInstructionBus } from '@fayger/adapter-core';
import { directContext as directContextForTests } from '@fayger/adapter-core/conformance';
import { FaygerError, type CapabilityGrant, type ErrorCode, type UniversalInstruction } from '@fayger/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerAdapter, type ServerAdapter } from '../src/index.js';

/**
 * Filesystem confinement, in the spirit of Node's permission-model traversal fixtures: every way out we can think
 * of is tried through the bus (as a guest would) and, where the bus would already stop it, directly against the
 * adapter with forged grants (as a buggy or foreign bus might). Each attempt must end in a typed error and leave
 * the outside world untouched. The number of attempts is printed.
 */

const ESCAPE: ErrorCode[] = [
  'CAPABILITY_SCOPE_DENIED',
  'ADAPTER_PATH_INVALID',
  'INSTRUCTION_INVALID',
  'CAPABILITY_DENIED',
];
// Percent-encoded or look-alike dots are ordinary file names inside the root: "not found" is the right answer.
const LITERAL: ErrorCode[] = [...ESCAPE, 'ADAPTER_PATH_NOT_FOUND'];

let base: string;
let adapter: ServerAdapter;
let bus: ReturnType<typeof createInstructionBus>;
let attempts = 0;
let denied = 0;
const files = () => join(base, 'app', 'files');

async function attempt(
  op: string,
  args: Record<string, unknown>,
  codes: ErrorCode[],
  via: 'bus' | 'direct' = 'bus',
  grants?: CapabilityGrant[],
): Promise<void> {
  attempts++;
  let outcome: unknown;
  try {
    if (via === 'bus') outcome = await bus.call('g', op as never, args as never);
    else {
      const cap = op === 'fs.read' || op === 'fs.stat' || op === 'fs.list' ? 'fs.read' : 'fs.write';
      outcome = await adapter.handle(
        { v: 1, id: 'd', op, args, instanceId: 'direct' } as UniversalInstruction,
        directContextForTests('direct', cap, grants!),
      );
    }
  } catch (e) {
    if (!FaygerError.is(e)) throw new Error(`${op} ${JSON.stringify(args)}: untyped error ${String(e)}`);
    if (!codes.includes(e.code))
      throw new Error(`${op} ${JSON.stringify(args)}: expected one of ${codes.join('|')}, got ${e.code}: ${e.message}`);
    // Messages name guest paths only; the host layout must not leak.
    if (!JSON.stringify(args).includes(base)) expect(e.message).not.toContain(base);
    denied++;
    return;
  }
  throw new Error(
    `${op} ${JSON.stringify(args)} (${via}) was NOT denied: ${JSON.stringify(outcome, (_k, v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v))}`,
  );
}

function snapshot(): string {
  const list = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? list(join(d, e.name)).map((x) => `${e.name}/${x}`)
        : [`${e.name}:${readFileSync(join(d, e.name), 'utf8')}`],
    );
  return JSON.stringify({ outside: list(join(base, 'outside')), assets: list(join(base, 'assets')) });
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'fayger-confine-'));
  mkdirSync(join(base, 'outside', 'dir'), { recursive: true });
  writeFileSync(join(base, 'outside', 'secret.txt'), 'SECRET');
  writeFileSync(join(base, 'outside', 'dir', 'secret.txt'), 'SECRET');
  writeFileSync(join(base, 'outside', 'target-w.txt'), 'UNTOUCHED');
  mkdirSync(join(base, 'assets'), { recursive: true });
  writeFileSync(join(base, 'assets', 'ro.txt'), 'READ-ONLY');
  adapter = createServerAdapter({
    dataDir: join(base, 'app'),
    mounts: [
      { guest: '/assets', host: join(base, 'assets'), readOnly: true },
      // A second, writable root that is the read-only one under another name (a host-side symlink).
      { guest: '/alias', host: join(base, 'alias-link') },
    ],
    log: { output: false },
  });
  symlinkSync(join(base, 'assets'), join(base, 'alias-link'));
  const f = files();
  writeFileSync(join(f, 'inside.txt'), 'INSIDE');
  mkdirSync(join(f, 'inside-dir'));
  writeFileSync(join(f, 'inside-dir', 'secret.txt'), 'INSIDE');
  symlinkSync(join(base, 'outside', 'secret.txt'), join(f, 'link-out'));
  symlinkSync(join(base, 'outside'), join(f, 'dirlink-out'));
  symlinkSync(join(base, 'assets'), join(f, 'to-assets'));
  symlinkSync('inside.txt', join(f, 'link-in'));
  bus = createInstructionBus({ adapter, policy: { allow: 'available' } });
  const report = bus.negotiate([
    { name: 'fs.read', required: true, scope: { roots: ['/data', '/assets', '/alias'] } },
    { name: 'fs.write', required: true, scope: { roots: ['/data', '/alias'] } },
  ]);
  expect(report.missingRequired).toEqual([]);
  bus.open({ instanceId: 'g', grants: report });
});

afterAll(async () => {
  await bus?.shutdown();
  console.log(
    `[confinement] ${attempts} escape attempts made, ${denied} denied with typed errors (raced calls counted separately)`,
  );
  rmSync(base, { recursive: true, force: true });
});

describe('server adapter filesystem confinement', () => {
  it('sanity: legitimate reads and symlinks that stay inside work', async () => {
    const dec = (r: unknown) => new TextDecoder().decode((r as { data: Uint8Array }).data);
    expect(dec(await bus.call('g', 'fs.read', { path: '/data/inside.txt' }))).toBe('INSIDE');
    expect(dec(await bus.call('g', 'fs.read', { path: '/data/link-in' }))).toBe('INSIDE');
    expect(dec(await bus.call('g', 'fs.read', { path: '/assets/ro.txt' }))).toBe('READ-ONLY');
    expect(dec(await bus.call('g', 'fs.read', { path: '/data/./inside-dir/../inside.txt' }))).toBe('INSIDE');
  });

  it('".." as strings, encoded forms, backslashes, NUL bytes, absolute and relative paths are all denied', async () => {
    const before = snapshot();
    const escapes = [
      '/data/../outside/secret.txt',
      '/data/../../outside/secret.txt',
      '/data/../../../../../../../../etc/passwd',
      '/../etc/passwd',
      '/etc/passwd',
      `${base}/outside/secret.txt`,
      '/data/..',
      '/data/../',
      '/data/inside-dir/../../etc/passwd',
      '/data/..\\..\\outside\\secret.txt',
      '/data\\..\\..\\etc\\passwd',
      '\\data\\inside.txt',
      '/data/.\u0000./etc/passwd',
      '/data/inside.txt\u0000.png',
      '/data/\u0000',
      'data/../etc/passwd',
      '../outside/secret.txt',
      'outside/secret.txt',
      '.',
      '',
      // The same traversal spelled as bytes and decoded the usual ways.
      Buffer.from([0x2f, 0x64, 0x61, 0x74, 0x61, 0x2f, 0x2e, 0x2e, 0x2f, 0x2e, 0x2e, 0x2f, 0x65, 0x74, 0x63]).toString(
        'latin1',
      ),
      Buffer.from('/data/../../etc/passwd', 'utf8').toString('utf8'),
      new TextDecoder().decode(new Uint8Array([0x2f, 0x2e, 0x2e, 0x5c, 0x2e, 0x2e, 0x5c])),
    ];
    const literal = [
      '/data/%2e%2e/%2e%2e/outside/secret.txt',
      '/data/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt',
      '/data/..%2f..%2foutside/secret.txt',
      '/data/%252e%252e/%252e%252e/etc/passwd',
      '/data/%c0%ae%c0%ae/etc/passwd',
      '/data/\uff0e\uff0e/\uff0e\uff0e/etc/passwd',
      '/data/\u2024\u2024/etc/passwd',
      new TextDecoder().decode(
        new Uint8Array([0x2f, 0x64, 0x61, 0x74, 0x61, 0x2f, 0xc0, 0xae, 0xc0, 0xae, 0x2f, 0x78]),
      ),
      '/data/...',
      '/data/. ./etc',
    ];
    for (const path of escapes) {
      await attempt('fs.read', { path }, ESCAPE);
      await attempt('fs.stat', { path }, ESCAPE);
      await attempt('fs.write', { path, data: new TextEncoder().encode('PWNED') }, ESCAPE);
    }
    for (const path of literal) {
      await attempt('fs.read', { path }, LITERAL);
      await attempt('fs.write', { path: `${path}/x`, data: new Uint8Array([1]) }, LITERAL);
    }
    expect(snapshot()).toBe(before);
  });

  it('symlinks pointing out (files and directories, with trailing slashes) are denied for every op', async () => {
    const before = snapshot();
    const out = [
      '/data/link-out',
      '/data/link-out/',
      '/data/dirlink-out/secret.txt',
      '/data/dirlink-out/./secret.txt/',
      '/data/dirlink-out/dir/secret.txt',
      '/data/to-assets/ro.txt',
      '/data/dirlink-out/../dirlink-out/secret.txt',
    ];
    for (const path of out) {
      await attempt('fs.read', { path }, ESCAPE);
      await attempt('fs.stat', { path }, ESCAPE);
      await attempt('fs.write', { path, data: new TextEncoder().encode('PWNED') }, ESCAPE);
      await attempt('fs.write', { path, data: new TextEncoder().encode('PWNED'), append: true }, ESCAPE);
    }
    for (const path of ['/data/dirlink-out', '/data/dirlink-out/', '/data/dirlink-out/dir', '/data/to-assets'])
      await attempt('fs.list', { path }, ESCAPE);
    await attempt('fs.mkdir', { path: '/data/dirlink-out/newdir' }, ESCAPE);
    await attempt('fs.mkdir', { path: '/data/dirlink-out/a/b/c', recursive: true }, ESCAPE);
    await attempt('fs.remove', { path: '/data/dirlink-out/secret.txt' }, ESCAPE);
    await attempt('fs.remove', { path: '/data/dirlink-out/dir', recursive: true }, ESCAPE);
    await attempt('fs.rename', { from: '/data/dirlink-out/secret.txt', to: '/data/stolen.txt' }, ESCAPE);
    await attempt('fs.rename', { from: '/data/inside.txt', to: '/data/dirlink-out/planted.txt' }, ESCAPE);
    expect(snapshot()).toBe(before);
  });

  it('a read-only root cannot be written through another path: the bus, a writable alias mount, symlinks, hard links', async () => {
    const before = snapshot();
    const data = new TextEncoder().encode('PWNED');
    await attempt('fs.write', { path: '/assets/ro.txt', data }, ESCAPE);
    await attempt('fs.write', { path: '/assets/new.txt', data }, ESCAPE);
    await attempt('fs.remove', { path: '/assets/ro.txt' }, ESCAPE);
    await attempt('fs.write', { path: '/alias/ro.txt', data }, ESCAPE);
    await attempt('fs.write', { path: '/alias/ro.txt', data, append: true }, ESCAPE);
    await attempt('fs.write', { path: '/alias/new.txt', data }, ESCAPE);
    await attempt('fs.mkdir', { path: '/alias/newdir' }, ESCAPE);
    await attempt('fs.mkdir', { path: '/alias/x/y', recursive: true }, ESCAPE);
    await attempt('fs.remove', { path: '/alias/ro.txt' }, ESCAPE);
    await attempt('fs.rename', { from: '/alias/ro.txt', to: '/data/taken.txt' }, ESCAPE);
    await attempt('fs.rename', { from: '/data/inside.txt', to: '/alias/ro.txt' }, ESCAPE);
    await attempt('fs.write', { path: '/data/to-assets/ro.txt', data }, ESCAPE);
    // The guest cannot give a read-only or outside file a writable name (writes through a hard link the guest
    // made are allowed, so this is where it must stop; node-host's hard-links test covers the rest).
    await attempt('fs.link', { from: '/assets/ro.txt', to: '/data/hardlink-ro.txt' }, ESCAPE);
    await attempt('fs.link', { from: '/alias/ro.txt', to: '/data/hardlink-ro.txt' }, ESCAPE);
    await attempt('fs.link', { from: '/data/to-assets/ro.txt', to: '/data/hardlink-ro.txt', follow: true }, ESCAPE);
    await attempt('fs.link', { from: '/data/link-out', to: '/data/hardlink-out.txt', follow: true }, ESCAPE);
    await attempt('fs.link', { from: '/data/dirlink-out/target-w.txt', to: '/data/hardlink-out.txt' }, ESCAPE);
    // Forged grants straight to the adapter: it must hold the line without the bus.
    const forged: CapabilityGrant[] = [
      { name: 'fs.read', scope: { roots: ['/'] } },
      { name: 'fs.write', scope: { roots: ['/'] } },
    ];
    await attempt('fs.write', { path: '/assets/ro.txt', data }, ESCAPE, 'direct', forged);
    await attempt('fs.remove', { path: '/assets/ro.txt' }, ESCAPE, 'direct', forged);
    await attempt('fs.write', { path: '/alias/ro.txt', data }, ESCAPE, 'direct', forged);
    await attempt('fs.write', { path: '/etc/passwd', data }, ESCAPE, 'direct', forged);
    await attempt('fs.read', { path: '/data/../../outside/secret.txt' }, ESCAPE, 'direct', forged);
    await attempt('fs.read', { path: '/data/link-out' }, ESCAPE, 'direct', forged);
    await attempt('fs.remove', { path: '/data', recursive: true }, ESCAPE, 'direct', forged);
    await attempt('fs.write', { path: '/data/x', data }, ESCAPE, 'direct', [
      { name: 'fs.read', scope: { roots: ['/data'] } },
    ]);
    await attempt('fs.read', { path: '/data/inside.txt' }, ESCAPE, 'direct', [
      { name: 'fs.read', scope: { roots: ['/assets'] } },
    ]);
    // A granted sub-root is a boundary too: a symlink inside it may not reach the rest of its mount.
    mkdirSync(join(files(), 'sub'), { recursive: true });
    symlinkSync('../inside.txt', join(files(), 'sub', 'up'));
    await attempt('fs.read', { path: '/data/sub/up' }, ESCAPE, 'direct', [
      { name: 'fs.read', scope: { roots: ['/data/sub'] } },
    ]);
    expect(readFileSync(join(base, 'assets', 'ro.txt'), 'utf8')).toBe('READ-ONLY');
    expect(snapshot()).toBe(before);
  });

  it('a symlink retargeted between check and use never lets a read or write through (raced in a loop)', {
    timeout: 30_000,
  }, async () => {
    const before = snapshot();
    const f = files();
    symlinkSync('inside.txt', join(f, 'race'));
    symlinkSync('inside-dir', join(f, 'racedir'));
    // A separate process flips the links as fast as it can (atomic rename of a fresh symlink over the old one).
    const flipper = spawn(process.execPath, [
      '-e',
      `const fs=require('fs'),p=require('path');const [f,out,ms]=process.argv.slice(1);const end=Date.now()+Number(ms);let i=0;
       while(Date.now()<end){i++;for(const [n,a,b] of [['race','inside.txt',p.join(out,'secret.txt')],['racedir','inside-dir',out]]){
         const t=p.join(f,'.flip-'+n);try{fs.unlinkSync(t)}catch{};fs.symlinkSync(i%2?b:a,t);fs.renameSync(t,p.join(f,n));}}`,
      f,
      join(base, 'outside'),
      '2500',
    ]);
    const done = new Promise<void>((r) => flipper.on('exit', () => r()));
    let ok = 0;
    let refused = 0;
    const deadline = Date.now() + 2000;
    const dec = (r: unknown) => new TextDecoder().decode((r as { data: Uint8Array }).data);
    while (Date.now() < deadline) {
      for (const [op, args] of [
        ['fs.read', { path: '/data/race' }],
        ['fs.read', { path: '/data/racedir/secret.txt' }],
        ['fs.write', { path: '/data/racedir/secret.txt', data: new TextEncoder().encode('INSIDE') }],
        ['fs.write', { path: '/data/race', data: new TextEncoder().encode('INSIDE') }],
      ] as const) {
        try {
          const r = await bus.call('g', op as never, args as never);
          if (op === 'fs.read') expect(dec(r)).toBe('INSIDE');
          ok++;
        } catch (e) {
          if (!FaygerError.is(e)) throw e;
          // Denied, or the link was mid-flip (briefly absent).
          expect(['CAPABILITY_SCOPE_DENIED', 'ADAPTER_PATH_NOT_FOUND']).toContain(e.code);
          refused++;
        }
      }
    }
    await done;
    console.log(
      `[confinement] race: ${ok + refused} raced calls, ${ok} stayed inside and succeeded, ${refused} refused`,
    );
    expect(refused).toBeGreaterThan(0);
    expect(readFileSync(join(base, 'outside', 'secret.txt'), 'utf8')).toBe('SECRET');
    expect(readFileSync(join(base, 'outside', 'dir', 'secret.txt'), 'utf8')).toBe('SECRET');
    expect(snapshot()).toBe(before);
  });
});
