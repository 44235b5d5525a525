import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerAdapter } from '@fayger/adapter-server';
import { runExample } from '@fayger/build-examples';

const buf = fileURLToPath(new URL('../dist/http-echo.buf', import.meta.url));
const PORT = 8787; // the port the manifest requests

/** Retries until the guest's listener accepts connections (it starts inside the instance). */
async function fetchWhenUp(url: string, init?: RequestInit): Promise<Response> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      return await fetch(url, init);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('examples/http-echo through loader → runtime (interpreter) → server adapter', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'fayger-http-echo-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('echoes real HTTP requests on the granted port and stops after ECHO_MAX_REQUESTS', async () => {
    const records: Array<{ level: string; msg: string }> = [];
    const adapter = createServerAdapter({
      dataDir,
      env: { allow: ['ECHO_MAX_REQUESTS'], source: { ECHO_MAX_REQUESTS: '3' } },
      // Generous: a loaded CI machine once took over 10 s to answer the third request (the host then answers 504).
      listen: { ports: [PORT], hosts: ['127.0.0.1'], responseTimeoutMs: 90_000 },
      http: false,
      log: { format: 'json', output: { write: (line: string) => records.push(JSON.parse(line)) } },
    });
    const answers: unknown[] = [];
    const { exit } = await runExample(buf, {
      adapter,
      policy: {
        allow: [
          { name: 'log' },
          { name: 'app' },
          { name: 'net.listen', scope: { ports: [PORT] } },
          { name: 'env', scope: { variables: ['ECHO_MAX_REQUESTS'] } },
        ],
      },
      started: async () => {
        const base = `http://127.0.0.1:${PORT}`;
        const first = await fetchWhenUp(`${base}/hello`, {
          method: 'POST',
          body: 'ping "quoted"\n',
          headers: { 'x-test': 'a' },
        });
        expect(first.status).toBe(200);
        expect(first.headers.get('content-type')).toBe('application/json');
        answers.push(await first.json());
        answers.push(await (await fetch(`${base}/x?y=1`)).json());
        answers.push(await (await fetch(`${base}/third`, { method: 'PUT', body: 'é' })).json());
      },
    });
    expect(exit.error).toBeUndefined();
    expect(exit).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(answers).toMatchObject([
      { method: 'POST', url: '/hello', body: 'ping "quoted"\n', request: 1, headers: { 'x-test': 'a' } },
      { method: 'GET', url: '/x?y=1', body: '', request: 2 },
      { method: 'PUT', url: '/third', body: 'é', request: 3 },
    ]);
    const lines = records.map((r) => r.msg);
    expect(lines[0]).toBe('http-echo listening on 127.0.0.1:8787 (3 request(s), idle timeout 30000 ms)');
    expect(lines).toContain('GET /x?y=1 -> 200 (2/3)');
    expect(lines.at(-1)).toBe('http-echo stopped: served 3 request(s)');
    // The listener is gone once the guest stopped it.
    await expect(fetch(`http://127.0.0.1:${PORT}/after`)).rejects.toThrow();
  }, 240_000);
});
