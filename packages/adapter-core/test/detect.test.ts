import type { HostProbe, PlatformAdapter } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { createAdapterRegistry, createMemoryAdapter, detectHostKind, globalAdapterRegistry, probeHost, selectAdapter } from '../src/index.js';

const probe = (global: Record<string, unknown>): HostProbe => ({ global });
const node = (tty: boolean) => ({ process: { versions: { node: '20.19.0' }, stdout: { isTTY: tty }, stdin: { isTTY: false } } });

describe('host detection', () => {
  it('tells server, desktop, browser and in-app apart from globals', () => {
    expect(detectHostKind(probe(node(false)))).toBe('server');
    expect(detectHostKind(probe(node(true)))).toBe('desktop');
    expect(detectHostKind(probe({ window: {}, document: {} }))).toBe('browser');
    expect(detectHostKind(probe({ window: { webkit: { messageHandlers: { fayger: {} } } }, document: {} }))).toBe('in-app');
    expect(detectHostKind(probe({ window: { ReactNativeWebView: {} }, document: {} }))).toBe('in-app');
    expect(detectHostKind(probe({ __faygerBridge: {} }))).toBe('in-app');
    expect(detectHostKind(probe({}))).toBeUndefined();
    expect(probeHost(probe({ window: { FaygerAndroid: {} } })).bridge).toBe('android');
    // The real process running these tests is Node.
    expect(probeHost().node).toBe(true);
  });

  const fake = (id: string, hostKind: PlatformAdapter['hostKind'], detect: PlatformAdapter['detect']): PlatformAdapter => ({
    ...createMemoryAdapter({ id, hostKind }),
    detect,
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
    expect(() => selectAdapter([a, b], { force: 'browser' })).toThrow(expect.objectContaining({ code: 'ADAPTER_NOT_FOUND' }));
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
    expect(() => r.register(createMemoryAdapter({ id: 'one' }))).toThrow(expect.objectContaining({ code: 'ADAPTER_DUPLICATE' }));
    expect(() => r.get('nope')).toThrow(expect.objectContaining({ code: 'ADAPTER_NOT_FOUND' }));
    for (const bad of [null, {}, { ...createMemoryAdapter(), id: 'has space' }, { ...createMemoryAdapter(), hostKind: 'mainframe' }, { ...createMemoryAdapter(), handle: 1 }]) {
      try {
        r.register(bad as never);
        expect.unreachable();
      } catch (e) {
        expect(FaygerError.is(e, 'ADAPTER_INVALID')).toBe(true);
      }
    }
    expect(r.unregister('one')).toBe(true);
    expect(r.has('one')).toBe(false);
  });

  it('the global registry is one object per realm', () => {
    expect(globalAdapterRegistry()).toBe(globalAdapterRegistry());
  });
});
