import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HostPolicy, PlatformAdapter } from '@fayger/contracts';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { runExample } from '@fayger/build-examples';

const buf = fileURLToPath(new URL('../dist/wasi-c.buf', import.meta.url));

/** The memory adapter plus a stdio capability that captures what the guest writes. */
function withStdio(env: Record<string, string> = {}) {
  const base = createMemoryAdapter({
    env,
    files: { '/data/input.txt': 'hello world\n  two   words\n\nlast line no newline' },
  });
  const out = { stdout: '', stderr: '' };
  const adapter: PlatformAdapter = {
    id: 'memory+stdio',
    hostKind: 'server',
    available: () => [...base.available(), { name: 'stdio' }],
    detect: () => 0,
    dispose: (id) => base.dispose(id),
    handle(ins, ctx) {
      if (ins.op === 'stdio.write') {
        const a = ins.args as { stream: 'stdout' | 'stderr'; data: Uint8Array };
        out[a.stream] += new TextDecoder().decode(a.data);
        return { bytesWritten: a.data.length };
      }
      return base.handle(ins, ctx);
    },
  };
  return { adapter, out };
}

describe('examples/wasi-c (unmodified WASI C) through loader → runtime (interpreter) → bus', () => {
  it('counts a preopened file, with WC_LABEL from the granted env', async () => {
    const { adapter, out } = withStdio({ WC_LABEL: 'demo', SECRET: 'not granted' });
    const { exit } = await runExample(buf, { adapter, args: ['/data/input.txt'], policy: { allow: 'available' } });
    expect(exit.error).toBeUndefined();
    expect(exit).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(out).toEqual({ stdout: 'demo: 3 8 47 /data/input.txt\n', stderr: '' });
  });

  it('without env granted the label is absent; outside the root it exits 2 with the reason', async () => {
    const noEnv = withStdio({ WC_LABEL: 'demo' });
    const policy: HostPolicy = { allow: [{ name: 'stdio' }, { name: 'fs.read', scope: { roots: ['/data'] } }] };
    const ok = await runExample(buf, { adapter: noEnv.adapter, args: ['/data/input.txt'], policy });
    expect(ok.exit).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(noEnv.out.stdout).toBe('3 8 47 /data/input.txt\n');

    const outside = withStdio();
    const denied = await runExample(buf, { adapter: outside.adapter, args: ['/etc/passwd'], policy });
    expect(denied.exit).toMatchObject({ state: 'Terminated', exitCode: 2 });
    expect(outside.out.stdout).toBe('');
    expect(outside.out.stderr).toMatch(/^wasi-c: cannot open \/etc\/passwd: .+\n$/);
  });
});
