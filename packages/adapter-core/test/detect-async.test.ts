import type { HostProbe, PlatformAdapter } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import {
  chooseAdapter,
  chooseAdapterAsync,
  createAdapterRegistry,
  createMemoryAdapter,
  resolveAdapterAsync,
  selectAdapterAsync,
  type AdapterCandidate,
} from '../src/index.js';

const probe = (global: Record<string, unknown>): HostProbe => ({ global });
const bridged = probe({ bridge: {} });

/** A candidate that connects asynchronously (as the in-app adapter does), counting creations and closes. */
function connecting(id: string, connect: () => Promise<void>) {
  const stats = { created: 0, closed: 0 };
  const candidate: AdapterCandidate = {
    id,
    hostKind: 'in-app',
    detect: (p) => (p.global.bridge !== undefined ? 3 : false),
    create: async () => {
      stats.created++;
      await connect();
      const a = createMemoryAdapter({ id, hostKind: 'in-app' });
      return { ...a, close: () => void stats.closed++ } as PlatformAdapter;
    },
  };
  return { candidate, stats };
}

/** The FaygerError a selection rejects with (anything else fails the test). */
const rejection = (p: Promise<unknown>): Promise<FaygerError> =>
  p.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => (FaygerError.is(e) ? e : expect.unreachable(`not a FaygerError: ${String(e)}`)),
  );

describe('asynchronous candidates', () => {
  it('chooseAdapterAsync awaits the chosen candidate only; ready adapters and sync candidates work as before', async () => {
    const inApp = connecting('in-app', async () => {});
    const page = { ...createMemoryAdapter({ id: 'page', hostKind: 'browser' }), detect: () => 1 };
    const sel = await chooseAdapterAsync([page, inApp.candidate], { probe: bridged });
    expect(sel.adapter.id).toBe('in-app');
    expect(sel.forced).toBe(false);
    expect(sel.reason).toContain('score 3');
    expect(inApp.stats.created).toBe(1);
    expect((await selectAdapterAsync([page, inApp.candidate], { probe: probe({}) })).id).toBe('page');
    expect(inApp.stats.created).toBe(1);
    const forced = await resolveAdapterAsync({
      candidates: [page, inApp.candidate],
      force: 'in-app',
      probe: probe({}),
    });
    expect(forced).toMatchObject({ forced: true, reason: 'forced (in-app)' });
    expect(forced.adapter.id).toBe('in-app');
    const given = createMemoryAdapter();
    expect((await resolveAdapterAsync(given)).adapter).toBe(given);
  });

  it('synchronous selection refuses an async candidate with a typed error and closes what it made', async () => {
    const inApp = connecting('in-app', async () => {});
    let e: unknown;
    try {
      chooseAdapter([inApp.candidate], { probe: bridged });
    } catch (err) {
      e = err;
    }
    expect(FaygerError.is(e, 'ADAPTER_INVALID')).toBe(true);
    expect((e as FaygerError).phase).toBe('detect');
    expect((e as FaygerError).message).toContain('createFaygerAsync');
    // The registry's lazy lookup is synchronous too.
    expect(() => createAdapterRegistry([inApp.candidate]).get('in-app')).toThrow(/chooseAdapterAsync/);
    await new Promise((r) => setTimeout(r, 0));
    expect(inApp.stats).toEqual({ created: 2, closed: 2 });
  });

  it('a create that rejects or throws fails ADAPTER_CREATE_FAILED with the cause and what to do', async () => {
    const failing = connecting('in-app', async () => {
      throw new FaygerError({ code: 'ADAPTER_TIMEOUT', phase: 'hello', what: 'the handshake', found: 'no reply' });
    });
    const page = { ...createMemoryAdapter({ id: 'page', hostKind: 'browser' }), detect: () => 1 };
    const e = await rejection(chooseAdapterAsync([failing.candidate, page], { probe: bridged }));
    expect(e.code).toBe('ADAPTER_CREATE_FAILED');
    expect(e.phase).toBe('detect');
    expect(e.details).toMatchObject({ adapter: 'in-app', causeCode: 'ADAPTER_TIMEOUT' });
    expect(e.message).toContain('ADAPTER_TIMEOUT');
    expect(e.message).toContain('force');
    expect(e.message).toContain('registered: page');
    expect(e.toJSON().cause).toMatchObject({ code: 'ADAPTER_TIMEOUT' });
    const throwing: AdapterCandidate = {
      id: 'odd',
      hostKind: 'acme:odd',
      detect: () => 1,
      create: () => {
        throw new RangeError('no odd host here');
      },
    };
    const t = await rejection(chooseAdapterAsync([throwing], { probe: bridged }));
    expect(t.code).toBe('ADAPTER_CREATE_FAILED');
    expect(t.message).toContain('RangeError: no odd host here');
  });

  it('a create that never settles fails after createTimeoutMs; the adapter arriving late is closed', async () => {
    let release!: () => void;
    const slow = connecting('in-app', () => new Promise<void>((r) => (release = r)));
    const e = await rejection(chooseAdapterAsync([slow.candidate], { probe: bridged, createTimeoutMs: 20 }));
    expect(e.code).toBe('ADAPTER_CREATE_FAILED');
    expect(e.message).toContain('no adapter after 20 ms');
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(slow.stats).toEqual({ created: 1, closed: 1 });
  });
});
