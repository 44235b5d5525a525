import type { CapabilityOffer, PlatformAdapter } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { baselineHandlers, composeAdapter, createAdapter, createMemoryAdapter } from '../../src/index.js';
import { checkAdapterContract } from '../../src/conformance/index.js';

// Each lie an adapter can tell, planted in an otherwise honest adapter: the check must name it.
const honest = () => createAdapter({ id: 'honest', hostKind: 'acme:kiosk', handlers: baselineHandlers().handlers });
const offering = (extra: CapabilityOffer[]): PlatformAdapter =>
  composeAdapter(honest(), { offers: (base) => [...base, ...extra] });

describe('the conformance checks catch lies', () => {
  it('an honest adapter built from the baseline passes', async () => {
    expect(await checkAdapterContract(honest())).toEqual([]);
    expect(await checkAdapterContract(createMemoryAdapter({ ui: true }))).toEqual([]);
  });

  it.each([
    ['timer', /offers "timer" but does not implement timer\.sleep, timer\.set, timer\.clear/],
    ['fs.read', /offers "fs\.read" but does not implement fs\.read, fs\.stat, fs\.list/],
    ['net.http', /offers "net\.http" but does not implement net\.http/],
    ['kv', /offers "kv" but does not implement kv\.get/],
    ['ui', /offers "ui" but does not implement ui\.render, ui\.clear/],
  ] as const)('offering %s with no handlers fails, naming the capability and its ops', async (cap, message) => {
    const base = createAdapter({
      id: 'liar',
      hostKind: 'server',
      handlers: { ...baselineHandlers({ timers: false }).handlers },
    });
    const problems = await checkAdapterContract(composeAdapter(base, { offers: (b) => [...b, { name: cap }] }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
    expect(problems[0]).toContain('or stop offering it');
  });

  it('offering a capability that is not in the catalogue fails', async () => {
    const problems = await checkAdapterContract(offering([{ name: 'gpu' as never }]));
    expect(problems.join('\n')).toMatch(/offers "gpu", which is not a capability of the catalogue/);
  });

  it('leaving out a mandatory capability fails, saying which and why', async () => {
    const a = composeAdapter(honest(), { offers: (b) => b.filter((o) => o.name !== 'random') });
    expect((await checkAdapterContract(a)).join('\n')).toMatch(/does not offer "random", which every adapter must/);
  });

  it('offering a capability twice fails', async () => {
    expect((await checkAdapterContract(offering([{ name: 'log' }]))).join('\n')).toMatch(/offers "log" more than once/);
  });

  it('a result off its schema fails, naming the op', async () => {
    const a = composeAdapter(honest(), { handlers: { 'clock.now': () => ({ timeMs: 'soon' }) as never } });
    expect((await checkAdapterContract(a)).join('\n')).toMatch(
      /answered clock\.now with a result that does not match its schema/,
    );
  });

  it('url.open that opens a javascript: URL fails', async () => {
    const a = composeAdapter(honest(), { handlers: { 'url.open': () => ({}) } });
    expect((await checkAdapterContract(a)).join('\n')).toMatch(/opened "javascript:void 0"/);
  });

  it('a malformed adapter is reported, not thrown', async () => {
    expect((await checkAdapterContract({ id: 'x' } as never))[0]).toMatch(/PlatformAdapter shape/);
  });
});
