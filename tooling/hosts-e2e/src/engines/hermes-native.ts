// The native side of the Hermes leg, evaluated in the `hermes` VM before the app bundle — as React Native
// installs its native modules and JSI globals before the app's bundle runs. The `hermes` CLI has no embedding
// API reachable from Node, so the host app is played by this script: it installs the React Native bridge
// (`ReactNativeWebView.postMessage`, answered through `__faygerBridge.receive`), `crypto.getRandomValues`
// (what react-native-get-random-values installs; backed here by entropy from the harness, as the CLI has no
// OS randomness), and `__faygerEngineHost` with the BuF and roots. It prints one result line on stdout.
// It talks to the app bundle only through the bridge's JSON strings and `__faygerEngineHost`.
import { base64ToBytes } from '@fayger/adapter-in-app';
import { createNativeApp } from './native-app.js';

declare const print: (...a: unknown[]) => void;
interface HostInput {
  host: string;
  buf: string;
  roots: string;
  /** base64 entropy for crypto.getRandomValues */
  entropy: string;
}
const g = globalThis as unknown as Record<string, unknown>;
const input = g.__faygerHostInput as HostInput;

const pool = base64ToBytes(input.entropy) ?? new Uint8Array(0);
let used = 0;
g.crypto = {
  getRandomValues<T extends ArrayBufferView>(a: T): T {
    const u8 = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    if (used + u8.length > pool.length) throw new Error('native entropy pool exhausted');
    u8.set(pool.subarray(used, used + u8.length));
    used += u8.length;
    return a;
  },
};

// Timers. The CLI's own setTimeout (and setImmediate) ignores the delay (callbacks run in the order they were queued), so a 0 ms
// reply would run after a 60 s deadline. React Native replaces the engine's timers with its own (JSTimers
// over the native Timing module); this native side does the same: one timer per turn of the CLI's task
// queue (microtasks drain in between, as in any event loop), earliest deadline first. When nothing is due
// the loop waits for the earliest deadline (the VM has no other source of work: every callback into it is
// one of these timers or a microtask — setImmediate included, or the wait would starve it).
interface Timer {
  id: number;
  due: number;
  fn: (...a: unknown[]) => void;
  args: unknown[];
  every?: number;
}
const cliSetTimeout = g.setTimeout as (fn: () => void, ms?: number) => unknown;
const timers = new Map<number, Timer>();
let nextTimerId = 1;
let ticking = false;
function schedule(): void {
  if (ticking || timers.size === 0) return;
  ticking = true;
  cliSetTimeout(tick, 0);
}
function tick(): void {
  ticking = false;
  let first: Timer | undefined;
  for (const t of timers.values())
    if (!first || t.due < first.due || (t.due === first.due && t.id < first.id)) first = t;
  if (!first) return;
  while (Date.now() < first.due) {
    // wait: see above
  }
  if (first.every !== undefined) first.due = Date.now() + first.every;
  else timers.delete(first.id);
  try {
    first.fn(...first.args);
  } finally {
    schedule();
  }
}
function addTimer(fn: unknown, ms: unknown, args: unknown[], repeat: boolean): number {
  if (typeof fn !== 'function') throw new TypeError('setTimeout: callback is not a function');
  const delay = Math.max(0, Number(ms) || 0);
  const t: Timer = {
    id: nextTimerId++,
    due: Date.now() + delay,
    fn: fn as Timer['fn'],
    args,
    ...(repeat ? { every: Math.max(1, delay) } : {}),
  };
  timers.set(t.id, t);
  schedule();
  return t.id;
}
g.setTimeout = (fn: unknown, ms?: unknown, ...args: unknown[]) => addTimer(fn, ms, args, false);
g.setInterval = (fn: unknown, ms?: unknown, ...args: unknown[]) => addTimer(fn, ms, args, true);
g.setImmediate = (fn: unknown, ...args: unknown[]) => addTimer(fn, 0, args, false);
g.clearTimeout = g.clearInterval = g.clearImmediate = (id: unknown) => void timers.delete(id as number);

const marks: Record<string, number> = {};
const app = createNativeApp('hermes');
app.shell.attachToWindow(g, 'react-native');
// The first `call` that crosses the bridge is the guest's first instruction.
const rn = g.ReactNativeWebView as { postMessage(m: unknown): void };
const post = rn.postMessage;
rn.postMessage = (m: unknown) => {
  if (marks.firstCall === undefined && typeof m === 'string' && m.includes('"kind":"call"'))
    marks.firstCall = Date.now();
  post(m);
};

g.__faygerEngineHost = {
  host: input.host,
  transport: 'react-native',
  buf: input.buf,
  roots: input.roots,
  mark: (what: string) => void (marks[what] = Date.now()),
  done: (json: string) =>
    print(
      `@@fayger-result ${JSON.stringify({ run: JSON.parse(json), prompts: app.prompts, uiSteps: app.user.done(), uiStepsTotal: app.user.total, nativeLogs: app.shell.logs.length, marks })}`,
    ),
  problem: (json: string) => print(`@@fayger-problem ${json}`),
  fail: (text: string) => {
    print(`@@fayger-marks ${JSON.stringify(marks)}`);
    print(`@@fayger-error ${JSON.stringify(text)}`);
  },
};
marks.evalStart = Date.now();
