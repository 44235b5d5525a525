import { baselineHandlers, composeAdapter, createAdapter, createInstructionBus } from '@fayger/adapter-core';
import { checkAdapterContract } from '@fayger/adapter-core/conformance';
import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { createKioskAdapter, detectKiosk } from '../src/index.js';

describe('the kiosk adapter', () => {
  it('is detected on a kiosk only, and its own error code travels as a FaygerError', async () => {
    expect(detectKiosk({ global: { acmeKiosk: {} } })).toBe(5);
    expect(detectKiosk({ global: {} })).toBe(0);
    const a = createKioskAdapter({ log: { output: false }, printer: { print: () => false } });
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    bus.open({ instanceId: 'k', grants: bus.negotiate([{ name: 'notify', required: true }]) });
    const e = await Promise.resolve(bus.call('k', 'notify.send', { title: 'Receipt' })).catch((x: unknown) => x);
    expect(FaygerError.is(e, 'KIOSK_PRINTER_OFFLINE')).toBe(true);
    expect((e as FaygerError).retryable).toBe(true);
  });

  // Planting each lie in a copy of this adapter makes the suite fail with a message naming it.
  it.each([
    [
      'offers timer with no handlers',
      () =>
        createAdapter({
          id: 'kiosk',
          hostKind: 'acme:kiosk',
          handlers: baselineHandlers({ timers: false }).handlers,
          offers: [{ name: 'log' }, { name: 'clock' }, { name: 'random' }, { name: 'timer' }],
        }),
      /offers "timer" but does not implement timer\.sleep/,
    ],
    [
      'offers fs.read with no handlers',
      (a: ReturnType<typeof createKioskAdapter>) =>
        composeAdapter(a, { offers: (b) => [...b, { name: 'fs.read', scope: { roots: ['/data'] } }] }),
      /offers "fs\.read" but does not implement/,
    ],
    [
      'offers net.http with no handlers',
      (a: ReturnType<typeof createKioskAdapter>) => composeAdapter(a, { offers: (b) => [...b, { name: 'net.http' }] }),
      /offers "net\.http" but does not implement/,
    ],
    [
      'offers a capability outside the catalogue',
      (a: ReturnType<typeof createKioskAdapter>) =>
        composeAdapter(a, { offers: (b) => [...b, { name: 'gpu' as never }] }),
      /"gpu", which is not a capability of the catalogue/,
    ],
    [
      'drops a mandatory capability',
      (a: ReturnType<typeof createKioskAdapter>) =>
        composeAdapter(a, { offers: (b) => b.filter((o) => o.name !== 'clock') }),
      /does not offer "clock"/,
    ],
  ])('a copy that %s fails the contract check, named', async (_lie, plant, message) => {
    const honest = createKioskAdapter({ log: { output: false } });
    expect(await checkAdapterContract(createKioskAdapter({ log: { output: false } }))).toEqual([]);
    expect((await checkAdapterContract(plant(honest))).join('\n')).toMatch(message);
  });
});
