import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { runExample } from '@fayger/build-examples';

const buf = fileURLToPath(new URL('../dist/file-tool.buf', import.meta.url));

describe('examples/file-tool through loader → runtime (interpreter) → bus', () => {
  it('works inside /data and reports the denial for paths outside it', async () => {
    const adapter = createMemoryAdapter({
      files: { '/data/input.txt': 'first line\nsecond line\n', '/etc/passwd': 'root:x:0:0' },
      readOnlyRoots: ['/etc'],
    });
    const { exit } = await runExample(buf, {
      adapter,
      policy: {
        allow: [
          { name: 'log' },
          { name: 'fs.read', scope: { roots: ['/data'] } },
          { name: 'fs.write', scope: { roots: ['/data'] } },
        ],
      },
    });
    const lines = adapter.logs.map((l) => l.message);
    expect(exit.error).toBeUndefined();
    expect(exit).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(lines).toContain('  file input.txt');
    expect(lines).toContain('read /data/input.txt: 23 bytes, 2 line(s)');
    expect(lines.some((l) => /^wrote \/data\/report\.txt \(\d+ bytes\)$/.test(l))).toBe(true);
    expect(lines).toContain('read the report back: identical');
    expect(lines.find((l) => l.startsWith('read /etc/passwd ->'))).toMatch(
      /^read \/etc\/passwd -> FAYGER_EDENIED CAPABILITY_SCOPE_DENIED: .* \(denied, as expected\)$/,
    );
    expect(lines.find((l) => l.startsWith('write /tmp/'))).toMatch(
      /^write \/tmp\/fayger-file-tool\.txt -> FAYGER_EDENIED CAPABILITY_SCOPE_DENIED: .* \(denied, as expected\)$/,
    );
    expect(lines.find((l) => l.startsWith('read /data/../etc/passwd ->'))).toMatch(
      /-> FAYGER_EDENIED CAPABILITY_SCOPE_DENIED: /,
    );
    expect(lines.at(-1)).toBe('file-tool: done');
  });
});
