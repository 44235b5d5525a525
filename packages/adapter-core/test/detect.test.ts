import type { HostProbe, PlatformAdapter } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import {
  chooseAdapter,
  createAdapterRegistry,
  createMemoryAdapter,
  detectHostKind,
  globalAdapterRegistry,
  probeHost,
  readGlobal,
  resolveAdapter,
  selectAdapter,
  type AdapterCandidate,
} from '../src/index.js';

const probe = (global: Record<string, unknown>): HostProbe => ({ global });
const node = (tty: boolean) => ({
  process: { versions: { node: '20.19.0' }, stdout: { isTTY: tty }, stdin: { isTTY: false } },
});

const fake = (
  id: string,
  hostKind: PlatformAdapter['hostKind'],
  detect: PlatformAdapter['detect'],
): PlatformAdapter => ({
  ...createMemoryAdapter({ id, hostKind }),
  detect,
});

describe('host detection', () => {
  it('probeHost reads generic facts only; detectHostKind asks each adapter, knowing none of their globals', () => {
    expect(probeHost(probe(node(true)))).toEqual({ node: true, tty: true, dom: false });
    expect(probeHost(probe({ window: {}, document: {} }))).toEqual({ node: false, tty: false, dom: true });
    // The real process running these tests is Node.
    expect(probeHost().node).toBe(true);
    const kiosk: AdapterCandidate = {
      id: 'kiosk',
      hostKind: 'acme:kiosk',
      detect: (p) => (p.global.acmeKiosk !== undefined ? 5 : false),
      create: () => expect.unreachable() as never,
    };
    const page = fake('page', 'browser', (p) => probeHost(p).dom);
    expect(detectHostKind(probe({ window: {}, document: {}, acmeKiosk: {} }), [page, kiosk])).toBe('acme:kiosk');
    expect(detectHostKind(probe({ window: {}, document: {} }), [page, kiosk])).toBe('browser');
    expect(detectHostKind(probe({}), [page, kiosk])).toBeUndefined();
  });

  it('readGlobal reads nested host objects without throwing on a missing or primitive step', () => {
    const handler = { postMessage() {} };
    const g = { webkit: { messageHandlers: { fayger: handler } }, n: 1, f: Object.assign(() => {}, { x: 2 }) };
    expect(readGlobal(g, 'webkit', 'messageHandlers', 'fayger')).toBe(handler);
    expect(readGlobal(g, 'webkit', 'nothing', 'fayger', 'postMessage')).toBeUndefined();
    expect(readGlobal(g, 'n', 'toFixed')).toBeUndefined();
    expect(readGlobal(g, 'f', 'x')).toBe(2);
    expect(readGlobal(null, 'a')).toBeUndefined();
    expect(readGlobal(g)).toBe(g);
  });

  it('lazy candidates: only the chosen one is built, and the choice says why', () => {
    let built = 0;
    const lazy = (id: string, score: number): AdapterCandidate => ({
      id,
      hostKind: 'server',
      detect: () => score,
      create: () => (built++, createMemoryAdapter({ id })),
    });
    const pick = chooseAdapter([lazy('low', 1), lazy('high', 2)], { probe: probe({}) });
    expect(pick.adapter.id).toBe('high');
    expect(pick.forced).toBe(false);
    expect(pick.reason).toContain('detected');
    expect(built).toBe(1);
    expect(resolveAdapter({ candidates: [lazy('low', 1), lazy('high', 2)], force: 'low' }).adapter.id).toBe('low');
    const given = createMemoryAdapter();
    expect(resolveAdapter(given)).toEqual({ adapter: given, forced: true, reason: 'given by the embedder' });
  });

  it('picks the highest score; ties go to the first registered; a throwing detector is skipped', () => {
    const a = fake('a', 'server', () => true);
    const b = fake('b', 'desktop', () => 5);
    const c = fake('c', 'browser', () => {
      throw new Error('no window');
    });
    const d = fake('d', 'server', () => 1);
    expect(selectAdapter([a, c, d]).id).toBe('a');
    expect(selectAdapter([a, b, c]).id).toBe('b');
  });

  it('an embedder may force one by id or host kind; unknown forces and no match are typed errors', () => {
    const a = fake('a', 'server', () => false);
    const b = fake('b', 'desktop', () => false);
    expect(selectAdapter([a, b], { force: 'b' }).id).toBe('b');
    expect(selectAdapter([a, b], { force: 'server' }).id).toBe('a');
    expect(() => selectAdapter([a, b], { force: 'browser' })).toThrow(
      expect.objectContaining({ code: 'ADAPTER_NOT_FOUND' }),
    );
    expect(() => selectAdapter([a, b])).toThrow(expect.objectContaining({ code: 'ADAPTER_HOST_UNDETECTED' }));
  });
});

describe('adapter registry', () => {
  it('registers, looks up, detects; refuses duplicates and malformed adapters', () => {
    const r = createAdapterRegistry([createMemoryAdapter({ id: 'one', detectScore: 1 })]);
    r.register(createMemoryAdapter({ id: 'two', detectScore: 2 }));
    expect(r.list().map((a) => a.id)).toEqual(['one', 'two']);
    expect(r.get('two').id).toBe('two');
    expect(r.detect({ probe: { global: {} } }).id).toBe('two');
    expect(() => r.register(createMemoryAdapter({ id: 'one' }))).toThrow(
      expect.objectContaining({ code: 'ADAPTER_DUPLICATE' }),
    );
    expect(() => r.get('nope')).toThrow(expect.objectContaining({ code: 'ADAPTER_NOT_FOUND' }));
    for (const bad of [
      null,
      {},
      { ...createMemoryAdapter(), id: 'has space' },
      { ...createMemoryAdapter(), hostKind: 'mainframe' },
      { ...createMemoryAdapter(), hostKind: 'Acme:Kiosk' },
      { ...createMemoryAdapter(), handle: 1 },
    ]) {
      try {
        r.register(bad as never);
        expect.unreachable();
      } catch (e) {
        expect(FaygerError.is(e, 'ADAPTER_INVALID')).toBe(true);
      }
    }
    r.register({ ...createMemoryAdapter({ id: 'kiosk' }), hostKind: 'acme:kiosk' });
    let made = 0;
    r.register({
      id: 'lazy',
      hostKind: 'server',
      detect: () => 9,
      create: () => (made++, createMemoryAdapter({ id: 'lazy' })),
    });
    expect(made).toBe(0);
    expect(r.detect({ probe: { global: {} } }).id).toBe('lazy');
    expect(r.get('lazy')).toBe(r.get('lazy'));
    expect(made).toBe(1);
    expect(r.unregister('one')).toBe(true);
    expect(r.has('one')).toBe(false);
  });

  it('the global registry is one object per realm', () => {
    expect(globalAdapterRegistry()).toBe(globalAdapterRegistry());
  });
});
