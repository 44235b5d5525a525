// The browser demo page: fetches a signed BuF lazily over HTTP Range, verifies it against the dev trusted
// roots (served as JSON), and runs it; the guest's UI is drawn as DOM by adapter-browser.
// Query: `buf` (URL of the artifact, default the demo BuF), `locale` (default en), `budget` (bytes, default 128 KiB),
// `engine` (`auto`, the default: the transpiler where the page allows new Function, else the interpreter — as
// createFayger does; or `interpreter` / `transpiler` alone).
import { createInstructionBus } from '@fayger/adapter-core';
import { createBrowserAdapter } from '@fayger/adapter-browser';
import { FaygerError, type AnyFaygerEvent } from '@fayger/contracts';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { BUF_HEADER_LENGTH, HttpRangeSource, loadBuf } from '@fayger/loader';
import { createRuntime } from '@fayger/runtime';
import { createTranspilerImplementation } from '@fayger/transpiler';
import { createTrustVerifier, detectDigestProvider, parseTrustedRoots } from '@fayger/security';
import { recordGuestLog } from './guest-log.js';

const q = new URLSearchParams(location.search);
const bufUrl = new URL(q.get('buf') ?? '/bufs/browser-demo.buf', location.href);
const locale = q.get('locale') ?? 'en';
const byteBudget = Number(q.get('budget') ?? 128 * 1024);
const engine = q.get('engine') ?? 'auto';

const $ = (id: string) => document.getElementById(id)!;
const status = (text: string) => void ($('status').textContent = text);

export interface DemoState {
  phase: 'loading' | 'running' | 'exited' | 'failed';
  artifactId?: string;
  selection?: { name: string; included: boolean; reason: string; size: number }[];
  sectionBytes?: Record<string, number>;
  loaderEvents: string[];
  logs: { level: string; message: string }[];
  exit?: { state: string; exitCode: number | undefined; error?: string };
  /** The Runtime_Implementation that ran the guest (after any load-time fallback). */
  implementation?: string;
  error?: string;
}

const state: DemoState = { phase: 'loading', loaderEvents: [], logs: [] };
(window as unknown as { __demo: DemoState }).__demo = state;

async function main(): Promise<void> {
  const rootsRes = await fetch('/trusted-roots.json', { cache: 'no-store' });
  if (!rootsRes.ok) throw new Error(`fetching /trusted-roots.json: HTTP ${rootsRes.status}`);
  const roots = parseTrustedRoots(await rootsRes.text());
  // The first request fetches only the header; the loader then asks for manifest + index, then the signature.
  // `fetch` passed bound: HttpRangeSource calls its default `globalThis.fetch` as a method of itself, which a
  // browser refuses ("Illegal invocation"; loader bug, see the README).
  const source = new HttpRangeSource(bufUrl, {
    probeBytes: BUF_HEADER_LENGTH,
    fetch: (input, init) => globalThis.fetch(input, init),
  });
  const loaded = await loadBuf(source, {
    digest: detectDigestProvider(),
    trust: createTrustVerifier({ roots, policy: { threshold: 1 } }),
    profile: { host: 'browser', locales: [locale], byteBudget },
    strategy: 'lazy',
    supportedInterfaceVersions: ['1.0.0'],
    events: { emit: (e: AnyFaygerEvent) => void state.loaderEvents.push(e.phase ? `${e.name} ${e.phase}` : e.name) },
  });
  state.artifactId = loaded.manifest.id;
  state.selection = loaded.selection.entries.map((e) => ({
    name: e.name,
    included: e.included,
    reason: e.reason,
    size: e.size,
  }));
  const tbody = $('sections').querySelector('tbody')!;
  for (const e of loaded.selection.entries) {
    const tr = document.createElement('tr');
    for (const cell of [e.name, String(e.size), e.included ? 'yes' : 'no', e.detail || e.reason]) {
      const td = document.createElement('td');
      td.textContent = cell;
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }

  // Read every selected data section (verified on first access); the page's strings come from the BuF.
  state.sectionBytes = {};
  for (const e of loaded.selection.entries) {
    if (!e.included || e.kind === 'code') continue;
    const bytes = await loaded.section(e.name);
    state.sectionBytes[e.name] = bytes.length;
    if (e.name === `strings.${locale}`) {
      const strings = JSON.parse(new TextDecoder().decode(bytes)) as { title?: string; subtitle?: string };
      if (strings.title) $('title').textContent = strings.title;
      if (strings.subtitle) $('subtitle').textContent = strings.subtitle;
    }
  }

  const base = createBrowserAdapter({ container: $('app'), log: { output: 'console' } });
  const { adapter, lines } = recordGuestLog(base);
  state.logs = lines;
  const bus = createInstructionBus({ adapter, policy: { allow: 'available' } });
  const implementations =
    engine === 'interpreter'
      ? [createInterpreterImplementation()]
      : engine === 'transpiler'
        ? [createTranspilerImplementation()]
        : [createTranspilerImplementation(), createInterpreterImplementation()];
  const runtime = createRuntime({ implementations, bus });
  const instance = runtime.instantiate(loaded);
  state.phase = 'running';
  status(
    `running ${loaded.manifest.id} ${loaded.manifest.version} (signed by ${loaded.signature.keyIds.join(', ')}; granted: ${instance.grants.granted.map((g) => g.name).join(', ')})`,
  );
  const logBox = $('log');
  const timer = setInterval(
    () => void (logBox.textContent = lines.map((l) => `${l.level} ${l.message}`).join('\n')),
    100,
  );
  const exit = await instance.runToCompletion();
  state.implementation = instance.implementation;
  clearInterval(timer);
  logBox.textContent = lines.map((l) => `${l.level} ${l.message}`).join('\n');
  state.exit = {
    state: exit.state,
    exitCode: exit.exitCode,
    ...(exit.error ? { error: `${exit.error.code}: ${exit.error.message}` } : {}),
  };
  state.phase = exit.state === 'Terminated' ? 'exited' : 'failed';
  status(`${exit.state}, exit code ${exit.exitCode ?? '-'}${exit.error ? `: ${exit.error.code}` : ''}`);
}

main().catch((err: unknown) => {
  state.phase = 'failed';
  state.error = FaygerError.is(err) ? `${err.code}: ${err.message}` : String(err);
  status(`failed: ${state.error}`);
});
