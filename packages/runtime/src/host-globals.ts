/**
 * The few host facilities the runtime needs (timers, a clock, UTF-8), reached through `globalThis` so the
 * package needs no DOM or Node typings and runs on every host: Node, browsers and JS engines embedded in apps
 * (which may lack TextDecoder or setImmediate).
 */

type TimerHandle = unknown;
interface HostGlobals {
  setTimeout?: (fn: () => void, ms: number) => TimerHandle;
  clearTimeout?: (h: TimerHandle) => void;
  setImmediate?: (fn: () => void) => unknown;
  MessageChannel?: new () => {
    port1: { onmessage: (() => void) | null; close?(): void };
    port2: { postMessage(v: unknown): void };
  };
  performance?: { now(): number };
  TextEncoder?: new () => { encode(s: string): Uint8Array };
  TextDecoder?: new (label?: string, options?: { fatal?: boolean }) => { decode(b: Uint8Array): string };
}

const g = globalThis as unknown as HostGlobals;

/** Monotonic milliseconds (performance.now where available). */
export const monotonicNow: () => number = g.performance ? () => g.performance!.now() : () => Date.now();

export function setTimer(fn: () => void, ms: number): TimerHandle {
  if (!g.setTimeout) throw new Error('host has no setTimeout');
  return g.setTimeout(fn, Math.max(0, ms));
}

export function clearTimer(handle: TimerHandle): void {
  g.clearTimeout?.(handle);
}

/**
 * Runs `fn` on a later macrotask, after pending I/O callbacks and promise reactions: the scheduler yields this
 * way between rounds so host promises (timers, files, network) settle while guests are busy.
 * setImmediate (Node) and MessageChannel (browsers) avoid the 4 ms clamp of nested setTimeout.
 */
export const nextMacrotask: (fn: () => void) => void = (() => {
  if (g.setImmediate) return (fn: () => void) => void g.setImmediate!(fn);
  if (g.MessageChannel) {
    const queue: (() => void)[] = [];
    const ch = new g.MessageChannel();
    ch.port1.onmessage = () => queue.shift()?.();
    return (fn: () => void) => {
      queue.push(fn);
      ch.port2.postMessage(0);
    };
  }
  return (fn: () => void) => void setTimer(fn, 0);
})();

const encoder = g.TextEncoder ? new g.TextEncoder() : undefined;
const decoder = g.TextDecoder ? new g.TextDecoder('utf-8') : undefined;

export function utf8Encode(s: string): Uint8Array {
  if (encoder) return encoder.encode(s);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Decodes UTF-8, replacing malformed sequences with U+FFFD (guests may hand us any bytes). */
export function utf8Decode(b: Uint8Array): string {
  if (decoder) return decoder.decode(b);
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    let cp = 0xfffd;
    let n = 1;
    if (c < 0x80) cp = c;
    else if (c >= 0xc2 && c < 0xe0 && (b[i + 1]! & 0xc0) === 0x80) {
      cp = ((c & 31) << 6) | (b[i + 1]! & 63);
      n = 2;
    } else if (c >= 0xe0 && c < 0xf0 && (b[i + 1]! & 0xc0) === 0x80 && (b[i + 2]! & 0xc0) === 0x80) {
      cp = ((c & 15) << 12) | ((b[i + 1]! & 63) << 6) | (b[i + 2]! & 63);
      n = 3;
      if (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000)) cp = 0xfffd;
    } else if (
      c >= 0xf0 &&
      c < 0xf5 &&
      (b[i + 1]! & 0xc0) === 0x80 &&
      (b[i + 2]! & 0xc0) === 0x80 &&
      (b[i + 3]! & 0xc0) === 0x80
    ) {
      cp = ((c & 7) << 18) | ((b[i + 1]! & 63) << 12) | ((b[i + 2]! & 63) << 6) | (b[i + 3]! & 63);
      n = 4;
      if (cp < 0x10000 || cp > 0x10ffff) cp = 0xfffd;
    }
    s += String.fromCodePoint(cp);
    i += n;
  }
  return s;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Strict base64 decode (standard alphabet, padding optional); undefined on malformed input. */
export function base64Decode(text: string): Uint8Array | undefined {
  const s = text.replace(/=+$/, '');
  if (s.length % 4 === 1 || /[^A-Za-z0-9+/]/.test(s)) return undefined;
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    acc = (acc << 6) | B64.indexOf(s[i]!);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
