import { describe, expect, it } from 'vitest';
import { kvHandlers, memoryKvStore, type KvStore } from '../../src/index.js';

const ctx = (namespaces?: string[]) => ({ scope: namespaces ? { namespaces } : undefined }) as never;

describe('kvHandlers', () => {
  it('get/set/delete/list over a store, values copied, keys sorted and limited', async () => {
    const { handlers: h } = kvHandlers(memoryKvStore());
    const v = new Uint8Array([1, 2]);
    await h['kv.set']!({ key: 'b', value: v }, ctx());
    await h['kv.set']!({ key: 'a', value: v }, ctx());
    await h['kv.set']!({ key: 'x', value: v, namespace: 'other' }, ctx());
    v[0] = 9;
    const got = (await h['kv.get']!({ key: 'b' }, ctx())).value!;
    expect(Array.from(got)).toEqual([1, 2]);
    got[0] = 7;
    expect(Array.from((await h['kv.get']!({ key: 'b' }, ctx())).value!)).toEqual([1, 2]);
    expect(await h['kv.list']!({}, ctx())).toEqual({ keys: ['a', 'b'] });
    expect(await h['kv.list']!({ limit: 1 }, ctx())).toEqual({ keys: ['a'] });
    expect(await h['kv.list']!({ namespace: 'other', prefix: 'x' }, ctx())).toEqual({ keys: ['x'] });
    await h['kv.delete']!({ key: 'a' }, ctx());
    expect(await h['kv.get']!({ key: 'a' }, ctx())).toEqual({ value: null });
  });

  it('confines the namespace to the grant, whatever bus drives it', async () => {
    const { handlers: h } = kvHandlers(memoryKvStore());
    await expect(h['kv.get']!({ key: 'k', namespace: 'secret' }, ctx(['mine']))).rejects.toMatchObject({
      code: 'CAPABILITY_SCOPE_DENIED',
      details: { field: '/args/namespace' },
    });
    expect(await h['kv.get']!({ key: 'k', namespace: 'mine' }, ctx(['mine']))).toEqual({ value: null });
  });

  it('opens a lazy store once, retries a failed open, reopens after close and closes a store opened late', async () => {
    let opens = 0;
    const closed: number[] = [];
    let failNext = true;
    const kv = kvHandlers<KvStore & { n: number }>(async () => {
      opens++;
      if (failNext) {
        failNext = false;
        throw new Error('storage blocked');
      }
      const n = opens;
      return { ...memoryKvStore(), n, close: () => closed.push(n) };
    });
    await expect(kv.handlers['kv.get']!({ key: 'k' }, ctx())).rejects.toThrow('storage blocked');
    expect(kv.store()).toBeUndefined();
    await Promise.all([kv.handlers['kv.get']!({ key: 'k' }, ctx()), kv.handlers['kv.list']!({}, ctx())]);
    expect([opens, kv.store()?.n]).toEqual([2, 2]);
    kv.close();
    expect([closed, kv.store()]).toEqual([[2], undefined]);
    const late = kv.handlers['kv.get']!({ key: 'k' }, ctx());
    kv.close();
    await late;
    await Promise.resolve();
    expect(closed).toEqual([2, 3]);
    expect(kv.store()).toBeUndefined();
  });
});
