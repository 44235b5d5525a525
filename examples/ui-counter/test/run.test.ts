import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { runExample } from '@fayger/build-examples';

const buf = fileURLToPath(new URL('../dist/ui-counter.buf', import.meta.url));

describe('examples/ui-counter through loader → runtime (interpreter) → bus', () => {
  it('on a host without ui, logs its state and exits 0 (same BuF as on a UI host)', async () => {
    const adapter = createMemoryAdapter();
    const { exit, instance } = await runExample(buf, { adapter, policy: { allow: 'available' } });
    expect(exit.error).toBeUndefined();
    expect(exit).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(instance.grants.absentOptional).toContain('ui');
    expect(adapter.logs.map((l) => l.message)).toEqual(['ui-counter: no ui on this host; state count=0 name=""']);
  });
});
