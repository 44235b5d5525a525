// Issue #18 item 4: a guest started in real Chromium (createFayger + adapter-browser + interpreter), snapshotted
// after N fuel, its signed snapshot bytes handed to Node and resumed there on adapter-server, and the reverse.
// The migrated run must equal an uninterrupted one: the same guest log lines (split across the two hosts), exit
// code and total fuel. Both sides run the same wiring (src/migrate.ts); the page is src/hosts/migrate-page.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServerAdapter } from '@fayger/adapter-server';
import {
  bundleForBrowser,
  CHROMIUM_MISSING_MESSAGE,
  chromiumAvailable,
  launchChromium,
  type StaticServer,
  startStaticServer,
} from '@fayger/browser-harness';
import { FaygerError } from '@fayger/contracts';
import { detectDigestProvider } from '@fayger/security';
import { manifestForModule, packModule } from 'fayger';
import type { Browser, Page } from 'playwright-core';
import wabtInit from 'wabt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdapterFactory,
  fromBase64,
  type MigrateEngine,
  type MigrateRunResult,
  resumeHere,
  runAndSnapshot,
  runWhole,
  type SnapshotTaken,
  snapshotAtPendingCall,
  toBase64,
} from '../src/migrate.js';

/**
 * About 21M fuel: 12 rounds of a busy loop that keeps a running checksum and fills a 4 KiB work area of memory, each round
 * logging "tick NN acc XXXXXXXX" through fayger.log; then a checksum of the work area ("memsum XXXXXXXX"), and
 * exit code 3 + (memsum & 63). Only log (baseline on both hosts) and pure compute.
 */
const GUEST_WAT = `(module
  (import "fayger" "log" (func $log (param i32 i32 i32) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 32) "tick 00 acc 00000000")
  (data (i32.const 64) "memsum 00000000")
  (func $hex (param $at i32) (param $v i32) (local $k i32) (local $n i32)
    (loop $l
      (local.set $n (i32.and (i32.shr_u (local.get $v) (i32.sub (i32.const 28) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 15)))
      (i32.store8 (i32.add (local.get $at) (local.get $k))
        (select (i32.add (local.get $n) (i32.const 48)) (i32.add (local.get $n) (i32.const 87)) (i32.lt_u (local.get $n) (i32.const 10))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $k) (i32.const 8)))))
  (func (export "_start") (result i32) (local $i i32) (local $j i32) (local $acc i32) (local $sum i32)
    (loop $outer
      (local.set $j (i32.const 0))
      (loop $busy
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $j)))
        (i32.store (i32.add (i32.const 65536) (i32.shl (i32.and (local.get $j) (i32.const 1023)) (i32.const 2))) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $busy (i32.lt_u (local.get $j) (i32.const 30000))))
      (i32.store8 (i32.const 37) (i32.add (i32.const 48) (i32.div_u (local.get $i) (i32.const 10))))
      (i32.store8 (i32.const 38) (i32.add (i32.const 48) (i32.rem_u (local.get $i) (i32.const 10))))
      (call $hex (i32.const 44) (local.get $acc))
      (drop (call $log (i32.const 2) (i32.const 32) (i32.const 20)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get $i) (i32.const 12))))
    (local.set $j (i32.const 0))
    (loop $sum
      (local.set $sum (i32.add (i32.rotl (local.get $sum) (i32.const 5)) (i32.load (i32.add (i32.const 65536) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $sum (i32.lt_u (local.get $j) (i32.const 1024))))
    (call $hex (i32.const 71) (local.get $sum))
    (drop (call $log (i32.const 2) (i32.const 64) (i32.const 15)))
    (i32.add (i32.const 3) (i32.and (local.get $sum) (i32.const 63)))))`;

/**
 * Logs "before sleep", waits on fayger.sleep_ms(1500) (an asynchronous `timer` host call: the snapshot is taken
 * while it is pending and the resuming host issues it again), logs "after sleep rc N" and a checksum of memory it
 * filled before the call, exits 5.
 */
const SLEEPER_WAT = `(module
  (import "fayger" "log" (func $log (param i32 i32 i32) (result i32)))
  (import "fayger" "sleep_ms" (func $sleep (param f64) (result i32)))
  (memory (export "memory") 2)
  (data (i32.const 32) "before sleep")
  (data (i32.const 64) "after sleep rc 0")
  (data (i32.const 96) "acc 00000000")
  (func $hex (param $at i32) (param $v i32) (local $k i32) (local $n i32)
    (loop $l
      (local.set $n (i32.and (i32.shr_u (local.get $v) (i32.sub (i32.const 28) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 15)))
      (i32.store8 (i32.add (local.get $at) (local.get $k))
        (select (i32.add (local.get $n) (i32.const 48)) (i32.add (local.get $n) (i32.const 87)) (i32.lt_u (local.get $n) (i32.const 10))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $k) (i32.const 8)))))
  (func (export "_start") (result i32) (local $j i32) (local $acc i32) (local $rc i32)
    (loop $fill
      (i32.store (i32.add (i32.const 65536) (i32.shl (local.get $j) (i32.const 2))) (i32.mul (local.get $j) (i32.const 2654435761)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $j) (i32.const 4096))))
    (drop (call $log (i32.const 2) (i32.const 32) (i32.const 12)))
    (local.set $rc (call $sleep (f64.const 1500)))
    (i32.store8 (i32.const 79) (i32.add (i32.const 48) (local.get $rc)))
    (drop (call $log (i32.const 2) (i32.const 64) (i32.const 16)))
    (local.set $j (i32.const 0))
    (loop $sum
      (local.set $acc (i32.add (i32.rotl (local.get $acc) (i32.const 7)) (i32.load (i32.add (i32.const 65536) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br_if $sum (i32.lt_u (local.get $j) (i32.const 4096))))
    (call $hex (i32.const 100) (local.get $acc))
    (drop (call $log (i32.const 2) (i32.const 96) (i32.const 12)))
    (i32.const 5)))`;

const PAGE_ENTRY = fileURLToPath(new URL('../src/hosts/migrate-page.ts', import.meta.url));
/** Where the snapshot is taken, as fractions of the uninterrupted run's total fuel. */
const CUTS = [0.2, 0.65];

/** A run resumed on `adapter` ended as the uninterrupted one did: logs before + after, exit code, total fuel. */
function expectSameEndAs(whole: MigrateRunResult, before: string[], rest: MigrateRunResult, adapter: string): void {
  expect(rest.error).toBeUndefined();
  expect(rest.adapter).toBe(adapter);
  expect(rest.state).toBe('Terminated');
  expect(rest.exitCode).toBe(whole.exitCode);
  expect(rest.fuelUsed).toBe(whole.fuelUsed);
  expect([...before, ...rest.logs]).toEqual(whole.logs);
  expect(before.length).toBeGreaterThan(0);
  expect(rest.logs.length).toBeGreaterThan(0);
}
const NODE_SEED = 11;
const BROWSER_SEED = 22;

if (!chromiumAvailable())
  describe('snapshot migration between Chromium and Node', () => it.skip(CHROMIUM_MISSING_MESSAGE, () => {}));

describe.skipIf(!chromiumAvailable())(
  'snapshot migration between Chromium (adapter-browser) and Node (adapter-server)',
  () => {
    let buf: Uint8Array;
    let sleeperBuf: Uint8Array;
    let sleeperWhole: MigrateRunResult;
    let dataDir: string;
    let server: StaticServer;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    let nodeWhole: MigrateRunResult;
    let browserWhole: MigrateRunResult;
    /** Where Chromium stopped, per cut: Node must stop at the same fuel (soft limits act at slice boundaries). */
    const browserStops = new Map<number, number>();

    const serverAdapter: AdapterFactory = (onLog) =>
      createServerAdapter({
        dataDir,
        http: false,
        listen: false,
        log: { output: false, onRecord: (r) => onLog(`${r.level}: ${r.message}`) },
      });

    type PageApi = {
      runWhole(buf: string): Promise<MigrateRunResult>;
      runAndSnapshot(buf: string, afterFuel: number, seed: number, engine?: MigrateEngine): Promise<SnapshotTaken>;
      snapshotAtPendingCall(buf: string, pendingOp: string, seed: number): Promise<SnapshotTaken & { pending: string }>;
      resumeHere(buf: string, snapshot: string, publicKey: string, engine?: MigrateEngine): Promise<MigrateRunResult>;
    };
    const inPage = <K extends keyof PageApi>(method: K, ...args: Parameters<PageApi[K]>) =>
      page.evaluate(
        ([m, a]) => {
          const api = (globalThis as unknown as { __migrate: Record<string, (...x: unknown[]) => unknown> }).__migrate;
          return api[m as string]!(...(a as unknown[]));
        },
        [method, args] as const,
      ) as Promise<Awaited<ReturnType<PageApi[K]>>>;

    beforeAll(async () => {
      const wabt = await wabtInit();
      const pack = async (label: string, text: string) => {
        const mod = wabt.parseWat(`${label}.wat`, text);
        const wasm = Uint8Array.from(mod.toBinary({}).buffer);
        mod.destroy();
        return packModule(wasm, manifestForModule(wasm, { label }), detectDigestProvider());
      };
      buf = await pack('migrate-guest', GUEST_WAT);
      sleeperBuf = await pack('migrate-sleeper', SLEEPER_WAT);
      dataDir = await mkdtemp(join(tmpdir(), 'fayger-migrate-'));
      server = await startStaticServer({
        files: {
          '/index.html':
            '<!doctype html><html><head><meta charset="utf-8"><title>fayger migrate</title></head><body><script type="module" src="/entry.js"></script></body></html>',
          '/entry.js': await bundleForBrowser(PAGE_ENTRY),
        },
      });
      browser = await launchChromium();
      page = await browser.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
      await page.goto(`${server.origin}/index.html`);
      await page.waitForFunction(() => '__migrate' in globalThis, undefined, { timeout: 30_000 });
      nodeWhole = await runWhole(buf, serverAdapter);
      browserWhole = await inPage('runWhole', toBase64(buf));
      sleeperWhole = await runWhole(sleeperBuf, serverAdapter);
    }, 120_000);

    afterAll(async () => {
      await browser?.close().catch(() => {});
      await server?.close();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('runs the guest uninterrupted on both hosts with the same results', () => {
      expect(nodeWhole.error).toBeUndefined();
      expect(nodeWhole.state).toBe('Terminated');
      expect(nodeWhole.adapter).toBe('server');
      expect(nodeWhole.implementation).toMatch(/interpreter/);
      expect(nodeWhole.logs).toHaveLength(13);
      expect(nodeWhole.logs[0]).toMatch(/^info: tick 00 acc [0-9a-f]{8}$/);
      expect(nodeWhole.logs[12]).toMatch(/^info: memsum [0-9a-f]{8}$/);
      expect(nodeWhole.exitCode).toBe(3 + (Number.parseInt(nodeWhole.logs[12]!.slice(-8), 16) & 63));
      expect(browserWhole.adapter).toBe('browser');
      expect(browserWhole.implementation).toMatch(/interpreter/);
      expect({ ...browserWhole, adapter: 'server' }).toEqual(nodeWhole);
      expect(pageErrors).toEqual([]);
    });

    for (const cut of CUTS) {
      it(`Chromium → Node: snapshot after ${cut * 100}% of the fuel, resumed on adapter-server, same end`, async () => {
        const afterFuel = Math.floor(nodeWhole.fuelUsed * cut);
        const taken = await inPage('runAndSnapshot', toBase64(buf), afterFuel, BROWSER_SEED);
        expect(taken.adapter).toBe('browser');
        browserStops.set(cut, taken.fuelAtSnapshot);
        expect(taken.fuelAtSnapshot).toBeGreaterThanOrEqual(afterFuel);
        expect(taken.fuelAtSnapshot).toBeLessThan(nodeWhole.fuelUsed);
        const rest = await resumeHere(buf, fromBase64(taken.snapshot), fromBase64(taken.publicKey), serverAdapter);
        expectSameEndAs(nodeWhole, taken.logs, rest, 'server');
        expect(pageErrors).toEqual([]);
      }, 120_000);

      it(`Node → Chromium: snapshot after ${cut * 100}% of the fuel, resumed on adapter-browser, same end`, async () => {
        const afterFuel = Math.floor(nodeWhole.fuelUsed * cut);
        const taken = await runAndSnapshot(buf, serverAdapter, afterFuel, NODE_SEED);
        expect(taken.adapter).toBe('server');
        expect(taken.fuelAtSnapshot).toBe(browserStops.get(cut));
        expect(taken.fuelAtSnapshot).toBeGreaterThanOrEqual(afterFuel);
        expect(taken.fuelAtSnapshot).toBeLessThan(nodeWhole.fuelUsed);
        const rest = await inPage('resumeHere', toBase64(buf), taken.snapshot, taken.publicKey);
        expectSameEndAs(nodeWhole, taken.logs, rest, 'browser');
        expect(pageErrors).toEqual([]);
      }, 120_000);
    }

    it('across engines: Chromium on the transpiler → Node on the interpreter, and Node on the interpreter → Chromium on the transpiler', async () => {
      const afterFuel = Math.floor(nodeWhole.fuelUsed * 0.5);
      const taken = await inPage('runAndSnapshot', toBase64(buf), afterFuel, BROWSER_SEED, 'transpiler');
      expect(taken.adapter).toBe('browser');
      expect(taken.fuelAtSnapshot).toBeGreaterThanOrEqual(afterFuel);
      const rest = await resumeHere(buf, fromBase64(taken.snapshot), fromBase64(taken.publicKey), serverAdapter);
      expect(rest.implementation).toMatch(/interpreter/);
      expectSameEndAs(nodeWhole, taken.logs, rest, 'server');

      const back = await runAndSnapshot(buf, serverAdapter, afterFuel, NODE_SEED);
      // Both engines meter the same: they stop at the same fuel point.
      expect(back.fuelAtSnapshot).toBe(taken.fuelAtSnapshot);
      const inBrowser = await inPage('resumeHere', toBase64(buf), back.snapshot, back.publicKey, 'transpiler');
      expect(inBrowser.implementation).toMatch(/transpiler/);
      expectSameEndAs(nodeWhole, back.logs, inBrowser, 'browser');
      expect(pageErrors).toEqual([]);
    }, 180_000);

    it('Chromium → Node while the guest waits on a timer host call: the call is issued again in Node', async () => {
      expect(sleeperWhole.error).toBeUndefined();
      expect(sleeperWhole.exitCode).toBe(5);
      expect(sleeperWhole.logs).toEqual([
        'info: before sleep',
        'info: after sleep rc 0',
        expect.stringMatching(/^info: acc [0-9a-f]{8}$/),
      ]);
      const taken = await inPage('snapshotAtPendingCall', toBase64(sleeperBuf), 'sleep', BROWSER_SEED);
      expect(taken.pending).toMatch(/sleep/);
      expect(taken.logs).toEqual(['info: before sleep']);
      const rest = await resumeHere(sleeperBuf, fromBase64(taken.snapshot), fromBase64(taken.publicKey), serverAdapter);
      expect(rest.error).toBeUndefined();
      expect(rest.exitCode).toBe(5);
      expect(rest.fuelUsed).toBe(sleeperWhole.fuelUsed);
      expect([...taken.logs, ...rest.logs]).toEqual(sleeperWhole.logs);
      expect(pageErrors).toEqual([]);
    }, 120_000);

    it('Node → Chromium while the guest waits on a timer host call: the call is issued again in Chromium', async () => {
      const taken = await snapshotAtPendingCall(sleeperBuf, serverAdapter, 'sleep', NODE_SEED);
      expect(taken.pending).toMatch(/sleep/);
      expect(taken.logs).toEqual(['info: before sleep']);
      const rest = await inPage('resumeHere', toBase64(sleeperBuf), taken.snapshot, taken.publicKey);
      expect(rest.error).toBeUndefined();
      expect(rest.adapter).toBe('browser');
      expect(rest.exitCode).toBe(5);
      expect(rest.fuelUsed).toBe(sleeperWhole.fuelUsed);
      expect([...taken.logs, ...rest.logs]).toEqual(sleeperWhole.logs);
      expect(pageErrors).toEqual([]);
    }, 120_000);

    it('Node refuses a Chromium snapshot signed by a host key it does not trust, before the guest runs', async () => {
      const taken = await inPage('runAndSnapshot', toBase64(buf), Math.floor(nodeWhole.fuelUsed / 2), BROWSER_SEED);
      const logs: string[] = [];
      const err = await resumeHere(buf, fromBase64(taken.snapshot), undefined, (onLog) =>
        serverAdapter((line) => {
          logs.push(line);
          onLog(line);
        }),
      ).catch((e: unknown) => e);
      expect(FaygerError.is(err)).toBe(true);
      expect((err as FaygerError).code).toMatch(/^SNAPSHOT_/);
      expect(logs).toEqual([]);
    }, 120_000);
  },
);
