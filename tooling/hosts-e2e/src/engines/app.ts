// The in-app "app" bundle for bare embedded engines (Hermes, QuickJS): what an app's bundler ships into its
// JS engine. It runs the BuF the native side hands over through adapter-in-app (ui: 'native', so ui.* trees
// go over the bridge to the native widgets), with the same loader → security → runtime (interpreter) → bus
// wiring as every other host (../run-buf.ts). No DOM, no WebAssembly, no node:.
//
// The native side installs, before this bundle runs, the bridge (`ReactNativeWebView.postMessage` on Hermes,
// `__faygerBridge.postMessage` on QuickJS) and `__faygerEngineHost`: the BuF bytes (base64), the trusted
// roots, and `done(json)` / `fail(text)` to report back. See ../engines/README section in the package README.
import './polyfills.js';
import { base64ToBytes, createInAppAdapter } from '@fayger/adapter-in-app';
import { FaygerError } from '@fayger/contracts';
import { MemorySource } from '@fayger/loader';
import { runBuf } from '../run-buf.js';

interface EngineHost {
  host: string;
  transport: 'react-native' | 'fayger';
  buf: string;
  roots: string;
  /** Called once the app bundle has been evaluated and starts (for the bench: eval → first instruction). */
  mark?(what: string): void;
  /** Diagnostics of the adapter (bridge messages it could not use, failed host calls), as JSON. */
  problem?(json: string): void;
  done(json: string): void;
  fail(text: string): void;
}

const host = (globalThis as unknown as { __faygerEngineHost: EngineHost }).__faygerEngineHost;

async function main(): Promise<void> {
  host.mark?.('app-start');
  const adapter = await createInAppAdapter({
    transport: host.transport,
    ui: 'native',
    timeoutMs: 60_000,
    handshakeTimeoutMs: 60_000,
    diagnostics: { emit: (event) => host.problem?.(JSON.stringify(event)) },
  });
  const bytes = base64ToBytes(host.buf);
  if (!bytes) throw new Error('__faygerEngineHost.buf is not base64');
  const run = await runBuf({
    host: host.host,
    hostKind: 'in-app',
    source: new MemorySource(bytes),
    trustedRootsJson: host.roots,
    adapter,
    // The native side asks the user (its permission prompt) for what needs it; the bus then negotiates.
    beforeNegotiate: async (caps) => void (await adapter.requestPermissions(caps)),
  });
  await adapter.close?.();
  // A fact about this engine the test checks: FaygerError (a class extending Error, lowered to functions by
  // Babel for Hermes) still carries its ES2022 `cause` across toJSON.
  const cause = new FaygerError({ code: 'INTERNAL', phase: 'engine-check', cause: new Error('inner') }).toJSON().cause;
  host.done(JSON.stringify({ ...run, engine: { errorCauseKept: cause?.message === 'inner' } }));
}

main().catch((e: unknown) => {
  host.fail(
    FaygerError.is(e) ? `${e.code}: ${e.message}` : String(e instanceof Error ? `${e.message}\n${e.stack}` : e),
  );
});
