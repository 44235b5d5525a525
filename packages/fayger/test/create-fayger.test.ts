import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, FaygerError, type AnyFaygerEvent } from '@fayger/contracts';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { MemoryRecorder } from '@fayger/observability';
import { buildHostPolicy, createFayger, formatGrantReport } from '../src/index.js';
import { denialProbe, quick, spinner, testKey } from './support/guests.js';

describe('createFayger (any PlatformAdapter, browser-safe entry)', () => {
  it('runs two instances concurrently: one exceeds its fuel quota and is failed, the other completes', async () => {
    const key = testKey();
    const spin = await key.pack('test.fayger.spin', spinner(), []);
    const ok = await key.pack('test.fayger.quick', quick(), [
      { name: 'timer', required: true },
      { name: 'app', required: true },
    ]);
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots } });
    const rec = new MemoryRecorder();
    fayger.events!.pipe(rec);
    const [a, b] = await Promise.all([fayger.run(spin, { quotas: { fuel: 200_000 } }), fayger.run(ok)]);
    expect(a.state).toBe('Failed');
    expect(a.error?.code).toBe('QUOTA_FUEL_EXCEEDED');
    expect(a.usage.fuelUsed).toBeGreaterThan(190_000);
    expect(b).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(b.grantReport.granted.map((g) => g.name).sort()).toEqual(['app', 'timer']);
    const breach = rec.byName('runtime.quota.breach');
    expect(breach.some((e) => e.instanceId === a.instanceId)).toBe(true);
    expect(breach.some((e) => e.instanceId === b.instanceId)).toBe(false);
    await fayger.close();
  });

  it('a capability the host policy denies reaches the guest as a typed denial (FAYGER_EDENIED), never a no-op', async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.probe', denialProbe(), [
      { name: 'random', required: false },
      { name: 'app', required: true },
    ]);
    const allowed = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots } });
    expect((await allowed.run(buf)).exitCode).toBe(0);
    await allowed.close();

    const denied = createFayger({
      adapter: createMemoryAdapter(),
      trust: { roots: key.roots },
      policy: buildHostPolicy({ deny: ['random'] }),
    });
    const rec = new MemoryRecorder();
    denied.events!.pipe(rec);
    const r = await denied.run(buf);
    expect(r.exitCode).toBe(1); // FAYGER_EDENIED
    expect(r.grantReport.absentOptional).toEqual(['random']);
    const d = rec.last('instruction.denied');
    expect(d?.data).toMatchObject({ op: 'random.bytes', capability: 'random', code: 'CAPABILITY_DENIED' });
    expect(formatGrantReport(r.grantReport)).toMatch(/- random\s+absent/);
    await denied.close();
  });

  it('publishes one stream of contract event names: loader, security, adapter, runtime, instruction', async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.quick', quick(), [
      { name: 'timer', required: true },
      { name: 'app', required: true },
    ]);
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots } });
    const seen: AnyFaygerEvent[] = [];
    fayger.events!.subscribe('*', (e) => seen.push(e));
    await fayger.run(buf, { strategy: 'lazy' });
    await fayger.close();
    const names = new Set(seen.map((e) => e.name));
    for (const n of names) expect(EVENT_NAMES).toContain(n);
    for (const n of [
      'loader.load.start',
      'loader.phase.end',
      'loader.section.read',
      'loader.load.end',
      'security.signature.verified',
      'adapter.capabilities.negotiated',
      'runtime.implementation.selected',
      'runtime.lifecycle.transition',
      'instruction.dispatched',
      'instruction.completed',
    ]) {
      expect(names, n).toContain(n);
    }
    const end = seen.find((e) => e.name === 'loader.load.end');
    expect(end?.data).toMatchObject({ artifactId: 'test.fayger.quick', strategy: 'lazy' });
    for (const e of seen) expect(() => JSON.parse(JSON.stringify(e))).not.toThrow();
  });

  it('refuses an artifact signed by an untrusted key, and a tampered one, with typed errors', async () => {
    const key = testKey();
    const other = testKey();
    const buf = await key.pack('test.fayger.quick', quick(), [
      { name: 'app', required: true },
      { name: 'timer', required: true },
    ]);
    const fayger = createFayger({ adapter: createMemoryAdapter(), trust: { roots: other.roots } });
    const e1 = await fayger.run(buf).catch((e: unknown) => e);
    expect(FaygerError.is(e1, 'SECURITY_UNKNOWN_KEY') || FaygerError.is(e1, 'SECURITY_THRESHOLD_NOT_MET')).toBe(true);
    await fayger.close();

    const trusting = createFayger({ adapter: createMemoryAdapter(), trust: { roots: key.roots }, strategy: 'eager' });
    const tampered = buf.slice();
    const codeAt = tampered.length - 200; // inside the code section or signature: either must be refused
    tampered[codeAt] ^= 0xff;
    const e2 = await trusting.run(tampered).catch((e: unknown) => e);
    expect(FaygerError.is(e2)).toBe(true);
    expect((e2 as FaygerError).code).toMatch(/^(LOADER|SECURITY)_/);
    await trusting.close();
  });

  it('a required capability missing ends the run Failed with CAPABILITY_REQUIRED_MISSING before the guest runs', async () => {
    const key = testKey();
    const buf = await key.pack('test.fayger.probe', denialProbe(), [
      { name: 'random', required: true },
      { name: 'app', required: true },
    ]);
    const fayger = createFayger({
      adapter: createMemoryAdapter(),
      trust: { roots: key.roots },
      policy: buildHostPolicy({ deny: ['random'] }),
    });
    const r = await fayger.run(buf);
    expect(r.state).toBe('Failed');
    expect(r.error?.code).toBe('CAPABILITY_REQUIRED_MISSING');
    expect(r.usage.hostCalls).toBe(0);
    await fayger.close();
    await expect(fayger.run(buf)).rejects.toMatchObject({ code: 'FAYGER_CLOSED' });
  });
});
