// Host (d): the in-app simulator page. The simulator's native shell (packages/adapter-in-app/simulator, a
// reference host app, not published) is installed on this window with the WKWebView transport; the page
// runs the BuF through adapter-in-app over that bridge, with the UI in the "WebView" area. The page's first
// script deleted WebAssembly and its CSP has no 'unsafe-eval': the router is offered the transpiler first and
// must pass it over for the interpreter (new Function refused). It waits for
// `window.__go()` so a test can look at the page first; the HostRun lands in `window.__hostRun`.
import { createInAppAdapter } from '@fayger/adapter-in-app';
import { FaygerError } from '@fayger/contracts';
import { createInterpreterImplementation } from '@fayger/interpreter';
import { createTranspilerImplementation } from '@fayger/transpiler';
import { HttpRangeSource } from '@fayger/loader';
import { installSimulator } from '../../../../packages/adapter-in-app/simulator/install.js';
import { runBuf } from '../run-buf.js';

type Win = { __go?: () => void; __hostRun?: unknown; __hostError?: string; __sim?: unknown };
const win = window as unknown as Win;

const sim = installSimulator(document, 'webkit', { capabilities: [{ name: 'log' }, { name: 'ui' }] });
win.__sim = sim;

async function main(): Promise<void> {
  // `?go=1` (a person opening the page) starts at once; a test calls __go() after inspecting the page.
  if (new URLSearchParams(location.search).get('go') !== '1') await new Promise<void>((go) => (win.__go = go));
  const adapter = await createInAppAdapter({ transport: 'webkit', ui: { mode: 'dom', container: sim.webview } });
  const rootsRes = await fetch('/trusted-roots.json', { cache: 'no-store' });
  win.__hostRun = await runBuf({
    host: 'in-app',
    hostKind: 'in-app',
    // Bound fetch: see the README (HttpRangeSource calls its default fetch with itself as `this`).
    source: new HttpRangeSource(new URL('/ui-counter.buf', location.href), {
      fetch: (i, init) => globalThis.fetch(i, init),
    }),
    trustedRootsJson: await rootsRes.text(),
    adapter,
    // The user is asked (native prompt) for what needs it; the bus then negotiates. Not adapter.negotiate():
    // it leaves out `app` (served by the bus on every host), so a UI app would never get its events — see
    // the README (adapter-in-app bug).
    beforeNegotiate: async (caps) => void (await adapter.requestPermissions(caps)),
    // As createFayger's default (engine auto): the transpiler where the host allows new Function.
    implementations: [createTranspilerImplementation(), createInterpreterImplementation()],
  });
}

main().catch((e: unknown) => {
  win.__hostError = FaygerError.is(e) ? `${e.code}: ${e.message}` : String(e instanceof Error ? e.stack : e);
});
