import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { runExample } from '@fayger/build-examples';

const buf = fileURLToPath(new URL('../dist/hello.buf', import.meta.url));

describe('examples/hello through loader → runtime (interpreter) → bus', () => {
  it('logs the greeting and the time, and reports optional capabilities as granted by the host', async () => {
    const adapter = createMemoryAdapter();
    // The host allows random but not timer: the optional timer is absent, and the guest says so.
    const { exit, instance } = await runExample(buf, {
      adapter,
      policy: { allow: [{ name: 'log' }, { name: 'clock' }, { name: 'random' }] },
    });
    expect(exit.error).toBeUndefined();
    expect(exit).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(instance.grants.absentOptional).toEqual(['timer']);
    const lines = adapter.logs.map((l) => l.message);
    expect(lines[0]).toBe('hello from a Fayger guest (AssemblyScript)');
    const t = Number(/^realtime clock: (\d+(?:\.\d+)?) ms since the Unix epoch$/.exec(lines[1])?.[1]);
    expect(Math.abs(t - Date.now())).toBeLessThan(60_000);
    expect(lines).toContain('optional capability random: present');
    expect(lines).toContain('optional capability timer: absent');
    expect(lines.some((l) => /^a random number: \d+$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith('slept'))).toBe(false);
    expect(lines.at(-1)).toBe('goodbye');
    expect(adapter.logs.every((l) => l.level === 'info')).toBe(true);
  });

  it('does not start when a required capability (clock) is refused by the host', async () => {
    const adapter = createMemoryAdapter();
    const err = await runExample(buf, { adapter, policy: { allow: [{ name: 'log' }] } }).catch((e: unknown) => e);
    expect(adapter.logs).toEqual([]);
    expect((err as { code?: string }).code).toBe('CAPABILITY_REQUIRED_MISSING');
    expect((err as Error).message).toContain('clock');
  });
});
