import { afterEach, expect, it } from 'vitest';
import { closeAll, expectCode, req, session } from './helpers.js';

afterEach(closeAll);

const ns = () => `kvtest-${Math.random().toString(36).slice(2)}`;
type Got = { value: Uint8Array | null };

it('IndexedDB keeps values as bytes (a Uint8Array in the store, not a string or array)', async () => {
  const s = await session({ kv: { databaseName: 'fayger-kv-bytes' } }, [req('kv')]);
  const n = ns();
  const bytes = new Uint8Array(256).map((_, i) => i);
  await s.call('kv.set', { namespace: n, key: 'all-bytes', value: bytes });
  expect(s.adapter.kvBackend()).toBe('indexeddb');
  const got = await s.call<Got>('kv.get', { namespace: n, key: 'all-bytes' });
  expect(got.value).toBeInstanceOf(Uint8Array);
  expect(Array.from(got.value!)).toEqual(Array.from(bytes));
  // Look at the database directly: the record itself is a Uint8Array.
  const raw = await new Promise<unknown>((resolve, reject) => {
    const open = indexedDB.open('fayger-kv-bytes');
    open.onsuccess = () => {
      const r = open.result.transaction('kv').objectStore('kv').get([n, 'all-bytes']);
      r.onsuccess = () => {
        resolve(r.result);
        open.result.close();
      };
      r.onerror = () => reject(r.error);
    };
    open.onerror = () => reject(open.error);
  });
  expect(raw).toBeInstanceOf(Uint8Array);
});

it('kv.list is exact about prefixes and limits, and namespaces never leak into each other', async () => {
  const s = await session({}, [req('kv')]);
  const n = ns();
  for (const k of ['a', 'ab', 'ab\uffff', 'ab\uffffz', 'abc', 'b'])
    await s.call('kv.set', { namespace: n, key: k, value: new Uint8Array([1]) });
  await s.call('kv.set', { namespace: `${n}x`, key: 'ab-other', value: new Uint8Array([1]) });
  expect(await s.call('kv.list', { namespace: n, prefix: 'ab' })).toEqual({
    keys: ['ab', 'abc', 'ab\uffff', 'ab\uffffz'],
  });
  expect(await s.call('kv.list', { namespace: n, prefix: 'ab', limit: 2 })).toEqual({ keys: ['ab', 'abc'] });
  expect(await s.call('kv.list', { namespace: n })).toEqual({ keys: ['a', 'ab', 'abc', 'ab\uffff', 'ab\uffffz', 'b'] });
});

it('falls back to localStorage when IndexedDB is absent; values survive a new adapter', async () => {
  const fakeWindow = {
    document,
    navigator,
    localStorage,
    indexedDB: undefined,
    fetch: fetch.bind(window),
    open: window.open.bind(window),
    addEventListener: () => {},
    removeEventListener: () => {},
  } as unknown as Window & typeof globalThis;
  const s = await session({ window: fakeWindow, kv: { databaseName: 'fayger-ls-test' } }, [req('kv')]);
  const n = ns();
  await s.call('kv.set', { namespace: n, key: 'k:1', value: new Uint8Array([0, 255, 7]) });
  expect(s.adapter.kvBackend()).toBe('localstorage');
  const again = await session({ window: fakeWindow, kv: { databaseName: 'fayger-ls-test' } }, [req('kv')]);
  expect(Array.from((await again.call<Got>('kv.get', { namespace: n, key: 'k:1' })).value!)).toEqual([0, 255, 7]);
  expect(await again.call('kv.list', { namespace: n, prefix: 'k:' })).toEqual({ keys: ['k:1'] });
  await again.call('kv.delete', { namespace: n, key: 'k:1' });
  expect(await again.call('kv.get', { namespace: n, key: 'k:1' })).toEqual({ value: null });
  expect(Object.keys(localStorage).some((k) => k.startsWith('fayger-ls-test:'))).toBe(false);
});

it("backend 'localstorage' can be forced; a full localStorage fails BROWSER_STORAGE_FAILED", async () => {
  const s = await session({ kv: { backend: 'localstorage', databaseName: 'fayger-ls-quota' } }, [req('kv')]);
  const n = ns();
  try {
    await expectCode(
      s.call('kv.set', { namespace: n, key: 'huge', value: new Uint8Array(1024 * 1024) }).then(async () => {
        for (let i = 0; i < 20; i++)
          await s.call('kv.set', { namespace: n, key: `huge-${i}`, value: new Uint8Array(1024 * 1024) });
      }),
      'BROWSER_STORAGE_FAILED',
    );
    expect(s.adapter.kvBackend()).toBe('localstorage');
  } finally {
    for (const k of Object.keys(localStorage)) if (k.startsWith('fayger-ls-quota:')) localStorage.removeItem(k);
  }
});

it('the adapter confines kv namespaces itself when driven without a bus', async () => {
  const s = await session({}, [req('kv')]);
  await expectCode(
    Promise.resolve().then(() =>
      s.adapter.handle(
        { v: 1, id: 'd', op: 'kv.get', args: { namespace: 'other', key: 'k' }, instanceId: 'd' } as never,
        {
          instanceId: 'd',
          callId: 'd',
          capability: 'kv',
          grant: { name: 'kv', scope: { namespaces: ['mine'] } },
          scope: { namespaces: ['mine'] },
          grants: new Map(),
          remaining: {},
          signal: new AbortController().signal,
          emit: () => {},
        } as never,
      ),
    ),
    'CAPABILITY_SCOPE_DENIED',
  );
});
