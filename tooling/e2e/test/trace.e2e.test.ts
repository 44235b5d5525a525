import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quick, testKey } from '../../../packages/fayger/test/support/guests.js';
import {
  attr,
  startOtlpReceiver,
  type OtlpReceiver,
  type OtlpSpan,
} from '../../../packages/otel/test/support/otlp-receiver.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const bin = join(here, '..', 'test-artifacts', 'bin', 'fayger.js');
const roots = join(repo, '.fayger-dev', 'trusted-roots.json');
const hello = join(repo, 'examples', 'hello', 'dist', 'hello.buf');
const scratch = mkdtempSync(join(tmpdir(), 'fayger-e2e-trace-'));

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver.close();
  rmSync(scratch, { recursive: true, force: true });
});

// Asynchronous spawn: the receiver runs in this process and must answer while the CLI exports.
function fayger(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: scratch,
      env: { ...process.env, FAYGER_STATE_DIR: join(scratch, 'state'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The spans of one `fayger run` trace, checked for the load tree and the instance span under the root. */
function checkRunTrace(spans: OtlpSpan[], artifactId: string): void {
  const root = spans.find((s) => s.name === 'fayger run');
  expect(root, 'root span').toBeDefined();
  const inTrace = spans.filter((s) => s.traceId === root!.traceId);
  const load = inTrace.find((s) => s.name === 'fayger.load')!;
  expect(load.parentSpanId).toBe(root!.spanId);
  expect(attr(load, 'fayger.artifact.id')).toBe(artifactId);
  expect(typeof attr(load, 'fayger.artifact.publisher')).toBe('string');
  expect(attr(load, 'fayger.signature.key_ids')).toHaveLength(1);
  const phases = inTrace.filter((s) => s.parentSpanId === load.spanId).map((s) => s.name);
  expect(phases).toEqual([
    'fayger.load.read',
    'fayger.load.parse',
    'fayger.load.verify-structure',
    'fayger.load.verify-digest',
    'fayger.load.verify-signature',
    'fayger.load.negotiate-version',
    'fayger.load.select',
    'fayger.load.resolve-dependencies',
    'fayger.load.hand-off',
  ]);
  const instance = inTrace.find((s) => s.name === 'fayger.instance')!;
  expect(instance.parentSpanId).toBe(root!.spanId);
  expect(attr(instance, 'fayger.instance.state')).toBe('Terminated');
  expect(Number(attr(instance, 'fayger.instance.host_calls'))).toBeGreaterThan(0);
  expect(instance.events?.map((e) => e.name)).toContain('fayger.lifecycle.transition');
}

describe('fayger run --trace (spawned CLI, OTLP/HTTP receiver on 127.0.0.1)', () => {
  it('--trace otlp sends the load span tree and the instance span, and host-call metrics', async () => {
    const key = testKey();
    writeFileSync(join(scratch, 'roots.json'), JSON.stringify(key.roots));
    const buf = await key.pack('test.fayger.quick', quick(), [
      { name: 'timer', required: true },
      { name: 'app', required: true },
    ]);
    writeFileSync(join(scratch, 'quick.buf'), buf);
    const before = receiver.received.length;
    const r = await fayger(
      ['run', 'quick.buf', '--trusted-roots', 'roots.json', '--host', 'server', '--trace', 'otlp'],
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'fayger-e2e',
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = receiver.received.slice(before);
    const traces = got.filter((g) => g.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    const service = (
      traces[0].body as {
        resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] } }[];
      }
    ).resourceSpans[0].resource.attributes.find((a) => a.key === 'service.name');
    expect(service?.value.stringValue).toBe('fayger-e2e');
    checkRunTrace(
      traces.flatMap((t) =>
        (t.body as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((rs) =>
          rs.scopeSpans.flatMap((ss) => ss.spans),
        ),
      ),
      'test.fayger.quick',
    );
    const metricNames = got
      .filter((g) => g.path === '/v1/metrics')
      .flatMap(
        (g) => (g.body as { resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[] }).resourceMetrics,
      )
      .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name)));
    expect(metricNames).toEqual(
      expect.arrayContaining(['fayger.host_calls', 'fayger.host_call.duration', 'fayger.instructions']),
    );
  });

  const built = existsSync(hello) && existsSync(roots);
  (built ? it : it.skip)(
    `the hello example under --trace otlp${built ? '' : ` [skipped: ${hello} not built — run pnpm turbo run build --filter './examples/*']`}`,
    async () => {
      const before = receiver.received.length;
      const r = await fayger(['run', hello, '--trusted-roots', roots, '--host', 'server', '--trace', 'otlp'], {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('hello from a Fayger guest');
      const spans = receiver.received
        .slice(before)
        .filter((g) => g.path === '/v1/traces')
        .flatMap((t) =>
          (t.body as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((rs) =>
            rs.scopeSpans.flatMap((ss) => ss.spans),
          ),
        );
      checkRunTrace(spans, 'dev.fayger.examples.hello');
    },
  );

  it('--trace console prints the trace as a tree of span names and durations on stderr', async () => {
    const key = testKey();
    writeFileSync(join(scratch, 'roots2.json'), JSON.stringify(key.roots));
    writeFileSync(
      join(scratch, 'quick2.buf'),
      await key.pack('test.fayger.quick', quick(), [
        { name: 'timer', required: true },
        { name: 'app', required: true },
      ]),
    );
    const r = await fayger([
      'run',
      'quick2.buf',
      '--trusted-roots',
      'roots2.json',
      '--host',
      'server',
      '--trace',
      'console',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^trace [0-9a-f]{32}$/m);
    expect(r.stderr).toMatch(/^fayger run\s+\d+\.\d\d ms/m);
    expect(r.stderr).toMatch(/^├─ fayger\.load\s+\d+\.\d\d ms\s+\(test\.fayger\.quick@1\.0\.0/m);
    expect(r.stderr).toMatch(/^│ {2}├─ fayger\.load\.read\s+\d+\.\d\d ms/m);
    expect(r.stderr).toMatch(/^└─ fayger\.instance\s+\d+\.\d\d ms\s+\(Terminated, fuel \d+, host calls 2\)/m);
  });

  it('rejects an unknown --trace mode as a usage error', async () => {
    const r = await fayger(['run', 'x.buf', '--allow-unsigned', '--trace', 'jaeger']);
    expect(r.code).toBe(111); // run's usage code (1 could be the guest's own)
    expect(r.stderr).toContain('console or otlp');
  });
});
