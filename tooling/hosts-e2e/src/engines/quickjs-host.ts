// The QuickJS leg's host app: a Node program that embeds QuickJS (quickjs-ng, built to wasm, from npm —
// quickjs-emscripten-core) and is the app's native side. Inside the VM there is no WebAssembly, no timers,
// no console: only the ECMAScript built-ins and what this embedder installs, as an app embedding QuickJS
// does: the message-passing bridge `__faygerBridge.postMessage(json)` (answered by calling the app's
// `__faygerBridge.receive(json)`), setTimeout/clearTimeout/setInterval/clearInterval over the host's event
// loop, and `__faygerEngineHost` (BuF bytes, trusted roots, done/fail). After every callback into the VM
// the embedder runs QuickJS's pending jobs (promise reactions), as its event loop would.
//   node quickjs-host.mjs <app.js> <buf> <roots.json> [--bench <bench.js>]
// Prints one `@@fayger-result {...}` line (or `@@fayger-error "..."`).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import variant from '@jitl/quickjs-ng-wasmfile-release-sync';
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSHandle } from 'quickjs-emscripten-core';
import { createNativeApp } from './native-app.js';

const [appFile, bufFile, rootsFile] = process.argv.slice(2);
if (!appFile || !bufFile || !rootsFile) {
  console.error('usage: quickjs-host <app.js> <buf> <roots.json>');
  process.exit(64);
}

const QuickJS = await newQuickJSWASMModuleFromVariant(variant);
const rt = QuickJS.newRuntime();
rt.setMemoryLimit(512 * 1024 * 1024);
rt.setMaxStackSize(4 * 1024 * 1024);
const vm: QuickJSContext = rt.newContext();

function drain(): void {
  for (;;) {
    const r = rt.executePendingJobs();
    if (r.error) {
      const e = vm.dump(r.error) as unknown;
      r.error.dispose();
      fail(`uncaught in a QuickJS job: ${describe(e)}`);
      return;
    }
    if (r.value === 0) return;
  }
}
const describe = (e: unknown) =>
  e && typeof e === 'object' && 'message' in e
    ? `${String((e as { message: unknown }).message)}\n${String((e as { stack?: unknown }).stack ?? '')}`
    : String(e);

let finished = false;
function fail(text: string): void {
  if (finished) return;
  finished = true;
  console.log(`@@fayger-error ${JSON.stringify(text)}`);
  process.exit(0);
}

/** Calls a VM function handle with string arguments, then runs pending jobs. */
function callIn(fn: QuickJSHandle, ...args: string[]): void {
  const hs = args.map((a) => vm.newString(a));
  const r = vm.callFunction(fn, vm.undefined, ...hs);
  for (const h of hs) h.dispose();
  if (r.error) {
    const e = vm.dump(r.error) as unknown;
    r.error.dispose();
    fail(`uncaught in a QuickJS callback: ${describe(e)}`);
    return;
  }
  r.value.dispose();
  drain();
}

function defineFn(target: QuickJSHandle, name: string, fn: (...args: QuickJSHandle[]) => QuickJSHandle | void): void {
  const h = vm.newFunction(name, fn);
  vm.setProp(target, name, h);
  h.dispose();
}

// Timers over Node's event loop.
const timers = new Map<number, { handle: ReturnType<typeof setTimeout>; fn: QuickJSHandle; repeat: boolean }>();
let nextTimer = 1;
function addTimer(fnH: QuickJSHandle, msH: QuickJSHandle | undefined, repeat: boolean): QuickJSHandle {
  const id = nextTimer++;
  const fn = fnH.dup();
  const ms = Math.max(0, msH ? Number(vm.getNumber(msH)) || 0 : 0);
  const fire = () => {
    const t = timers.get(id);
    if (!t) return;
    if (!repeat) timers.delete(id);
    callIn(fn);
    if (!repeat) fn.dispose();
  };
  timers.set(id, { handle: repeat ? setInterval(fire, Math.max(1, ms)) : setTimeout(fire, ms), fn, repeat });
  return vm.newNumber(id);
}
function clearTimer(idH: QuickJSHandle | undefined): void {
  if (!idH || vm.typeof(idH) !== 'number') return;
  const id = vm.getNumber(idH);
  const t = timers.get(id);
  if (!t) return;
  timers.delete(id);
  if (t.repeat) clearInterval(t.handle);
  else clearTimeout(t.handle);
  t.fn.dispose();
}
defineFn(vm.global, 'setTimeout', (fn, ms) => addTimer(fn!, ms, false));
defineFn(vm.global, 'setInterval', (fn, ms) => addTimer(fn!, ms, true));
defineFn(vm.global, 'clearTimeout', (id) => clearTimer(id));
defineFn(vm.global, 'clearInterval', (id) => clearTimer(id));

// The native side and the bridge.
const marks: Record<string, number> = {};
const app = createNativeApp('quickjs');
const nativeWin: Record<string, unknown> = {
  __faygerBridge: {
    // Replies and events into the VM: the app's receive hook, called with the JSON text.
    receive: (json: unknown) => {
      const bridge = vm.getProp(vm.global, '__faygerBridge');
      const receive = vm.getProp(bridge, 'receive');
      bridge.dispose();
      if (vm.typeof(receive) === 'function') callIn(receive, String(json));
      receive.dispose();
    },
  },
};
app.shell.attachToWindow(nativeWin, 'android', 'nativePost');
const nativePost = nativeWin.nativePost as { postMessage(m: unknown): void };
const bridgeObj = vm.newObject();
defineFn(bridgeObj, 'postMessage', (m) => {
  const text = vm.getString(m!);
  if (marks.firstCall === undefined && text.includes('"kind":"call"')) marks.firstCall = performance.now();
  nativePost.postMessage(text);
});
vm.setProp(vm.global, '__faygerBridge', bridgeObj);
bridgeObj.dispose();

const hostObj = vm.newObject();
const setStr = (k: string, v: string) => {
  const h = vm.newString(v);
  vm.setProp(hostObj, k, h);
  h.dispose();
};
setStr('host', 'quickjs');
setStr('transport', 'fayger');
setStr('buf', readFileSync(bufFile).toString('base64'));
setStr('roots', readFileSync(rootsFile, 'utf8'));
defineFn(hostObj, 'mark', (w) => void (marks[vm.getString(w!)] = performance.now()));
defineFn(hostObj, 'problem', (j) => void console.log(`@@fayger-problem ${vm.getString(j!)}`));
defineFn(hostObj, 'fail', (t) => fail(vm.getString(t!)));
defineFn(hostObj, 'done', (j) => {
  if (finished) return;
  finished = true;
  const run = JSON.parse(vm.getString(j!)) as unknown;
  console.log(
    `@@fayger-result ${JSON.stringify({ run, prompts: app.prompts, uiSteps: app.user.done(), uiStepsTotal: app.user.total, nativeLogs: app.shell.logs.length, marks })}`,
  );
  // The run is over: leave without waiting for native timers of a disposed instance.
  setTimeout(() => process.exit(0), 0);
});
vm.setProp(vm.global, '__faygerEngineHost', hostObj);
hostObj.dispose();

const code = readFileSync(appFile, 'utf8');
marks.evalStart = performance.now();
const r = vm.evalCode(code, 'app.js');
if (r.error) {
  const e = vm.dump(r.error) as unknown;
  r.error.dispose();
  fail(`evaluating the app bundle: ${describe(e)}`);
} else {
  r.value.dispose();
  drain();
}
