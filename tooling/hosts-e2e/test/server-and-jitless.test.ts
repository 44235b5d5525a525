import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACT_MISSING_MESSAGE, artifactMissing, bundleNodeApp, EXPECTED_DEGRADED_TRANSCRIPT, readRun, runNode, transcript, trustedRoots, uiCounterBuf } from './helpers.js';

// Hosts (a) and (e): the server adapter in a plain Node child, and the same script under `node --jitless`
// (no JIT, so no WebAssembly in V8: the interpreter is the only way the guest can run).
describe.skipIf(artifactMissing)('ui-counter.buf on the server adapter (node, node --jitless)', () => {
  let work = '';
  let app = '';
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'fayger-hosts-e2e-'));
    app = await bundleNodeApp(work);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it.each([
    ['server', [] as string[]],
    ['node --jitless', ['--jitless']],
  ])('%s: ui trimmed by negotiation, the app degrades, logs its state and exits 0', async (label, execArgv) => {
    const out = join(work, `${label.replace(/\W+/g, '-')}.json`);
    const child = await runNode(execArgv, [app, 'server', uiCounterBuf, trustedRoots, out, join(work, `data-${execArgv.length}`)]);
    // Under --jitless Node itself says it turned WebAssembly off; nothing else may reach stderr.
    expect(child.stderr.split('\n').filter((l) => l && !/^Warning: disabling flag --expose_wasm/.test(l))).toEqual([]);
    if (execArgv.includes('--jitless')) expect(child.stderr).toMatch(/disabling flag --expose_wasm/);
    expect(child.code).toBe(0);
    const run = await readRun(out);
    expect(run.exit).toEqual({ state: 'Terminated', exitCode: 0 });
    expect(run.artifactId).toBe('dev.fayger.examples.ui-counter');
    expect(run.signedBy).toHaveLength(1);
    expect(run.absentOptional).toContain('ui');
    expect(run.granted).not.toContain('ui');
    expect(transcript(run)).toEqual(EXPECTED_DEGRADED_TRANSCRIPT);
    // The server adapter's own output: one JSON log line carrying the same message.
    const logLines = child.stdout.trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(logLines.map((l) => `${l.level} ${l.msg}`)).toEqual(EXPECTED_DEGRADED_TRANSCRIPT);
    expect(run.jitless).toBe(execArgv.includes('--jitless'));
    if (run.jitless) expect(run.webAssembly).toBe('undefined');
  });
});

if (artifactMissing) describe('ui-counter.buf on the server adapter', () => {
  it.skip(ARTIFACT_MISSING_MESSAGE, () => {});
});
