// createFayger: instance.snapshot() → fayger.snapshot() (signed bytes) → fayger.resume() in a fresh Fayger.
import { createMemoryAdapter } from '@fayger/adapter-core';
import { FaygerError } from '@fayger/contracts';
import { createEd25519Signer, detectDigestProvider, trustedRootEntry } from '@fayger/security';
import { expect, it } from 'vitest';
import { createFayger, manifestForModule, packModule } from '../src/index.js';
import { counterLoop } from './support/guests.js';

/** `_start` counts to 1,000,000 and returns the count % 256 (= 64). */
const LOOP = counterLoop(1_000_000);

it.each(['interpreter', 'transpiler'] as const)(
  '%s: snapshots a suspended instance as signed bytes and resumes it in a fresh Fayger to the same end',
  async (engine) => {
    const digest = detectDigestProvider();
    const buf = await packModule(LOOP, manifestForModule(LOOP, { label: 'snap-test' }), digest);
    const hostKey = createEd25519Signer(new Uint8Array(32).fill(4));
    const roots = {
      version: 1 as const,
      keys: [trustedRootEntry(hostKey.publicKey, { publishers: ['fayger.snapshot'] })],
    };
    const make = () => createFayger({ adapter: createMemoryAdapter(), trust: { roots, allowUnsigned: true }, engine });

    const whole = make();
    const expected = await whole.run(buf);
    await whole.close();
    expect(expected.state).toBe('Terminated');

    const first = make();
    const handle = await first.start(buf, {
      onInstance: (instance) => {
        const off = instance.onTransition((t) => {
          if (t.to !== 'Running') return;
          off();
          instance.suspend();
        });
      },
    });
    await new Promise<void>((r) => {
      if (handle.instance.state === 'Suspended') r();
      else handle.instance.onTransition((t) => t.to === 'Suspended' && r());
    });
    expect(handle.instance.snapshot().engine.engine).toBe(`fayger-${engine}`);
    const bytes = await first.snapshot(handle.instance, { signer: hostKey });
    handle.instance.terminate('test');
    await first.close();

    const second = make();
    const resumed = await second.resume(buf, bytes);
    await second.close();
    expect(resumed.state).toBe('Terminated');
    expect(resumed.exitCode).toBe(expected.exitCode);
    expect(resumed.usage.fuelUsed).toBe(expected.usage.fuelUsed);

    // An altered snapshot is refused before anything runs.
    const bad = bytes.slice();
    bad[200]! ^= 1;
    const third = make();
    const err = await third.resume(buf, bad).catch((e: unknown) => e);
    await third.close();
    expect(FaygerError.is(err)).toBe(true);
    expect((err as FaygerError).code).toMatch(/^SNAPSHOT_(MALFORMED|DIGEST_MISMATCH)$/);
  },
  120_000,
);

it('a snapshot taken on one engine resumes on the other: resume(buf, snapshot, { engine }), and by default on the routed engine', async () => {
  const digest = detectDigestProvider();
  const buf = await packModule(LOOP, manifestForModule(LOOP, { label: 'snap-cross' }), digest);
  const hostKey = createEd25519Signer(new Uint8Array(32).fill(5));
  const roots = {
    version: 1 as const,
    keys: [trustedRootEntry(hostKey.publicKey, { publishers: ['fayger.snapshot'] })],
  };
  const make = (engine: 'auto' | 'interpreter' | 'transpiler') =>
    createFayger({ adapter: createMemoryAdapter(), trust: { roots, allowUnsigned: true }, engine });
  const whole = make('interpreter');
  const expected = await whole.run(buf);
  await whole.close();

  for (const [from, to] of [
    ['interpreter', 'transpiler'],
    ['transpiler', 'interpreter'],
  ] as const) {
    const first = make(from);
    const handle = await first.start(buf, {
      onInstance: (instance) => {
        const off = instance.onTransition((t) => {
          if (t.to !== 'Running') return;
          off();
          instance.suspend();
        });
      },
    });
    await new Promise<void>((r) => {
      if (handle.instance.state === 'Suspended') r();
      else handle.instance.onTransition((t) => t.to === 'Suspended' && r());
    });
    const bytes = await first.snapshot(handle.instance, { signer: hostKey });
    handle.instance.terminate('test');
    await first.close();

    // Asked for the other engine (both registered: engine auto).
    const second = make('auto');
    let ranOn = '';
    const resumed = await second.resume(buf, bytes, {
      engine: to,
      onInstance: (i) => {
        ranOn = i.implementation;
      },
    });
    await second.close();
    expect(ranOn, `${from} -> ${to}`).toBe(`fayger-${to}`);
    expect(resumed.exitCode).toBe(expected.exitCode);
    expect(resumed.usage.fuelUsed).toBe(expected.usage.fuelUsed);

    // Only the other engine registered: the router's choice is it.
    const third = make(to);
    const again = await third.resume(buf, bytes, {
      onInstance: (i) => {
        ranOn = i.implementation;
      },
    });
    await third.close();
    expect(ranOn).toBe(`fayger-${to}`);
    expect(again.exitCode).toBe(expected.exitCode);
    expect(again.usage.fuelUsed).toBe(expected.usage.fuelUsed);
  }

  // An engine this Fayger did not register is a typed error.
  const only = make('interpreter');
  const first = make('transpiler');
  const h = await first.start(buf, {
    onInstance: (instance) => {
      const off = instance.onTransition((t) => {
        if (t.to !== 'Running') return;
        off();
        instance.suspend();
      });
    },
  });
  await new Promise<void>((r) => {
    if (h.instance.state === 'Suspended') r();
    else h.instance.onTransition((t) => t.to === 'Suspended' && r());
  });
  const bytes = await first.snapshot(h.instance, { signer: hostKey });
  h.instance.terminate('test');
  await first.close();
  const err = await only.resume(buf, bytes, { engine: 'transpiler' }).catch((e: unknown) => e);
  await only.close();
  expect(FaygerError.is(err) && err.code).toBe('RUNTIME_OPTIONS_INVALID');
}, 180_000);
