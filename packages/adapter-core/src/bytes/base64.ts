/**
 * Base64 (RFC 4648, with padding) without btoa/atob or Buffer, for adapters that carry bytes as text (the in-app
 * bridge's JSON, the browser's localStorage kv): bare JS engines embedded in apps (JavaScriptCore, Hermes,
 * QuickJS) do not all provide them, and btoa works on Latin-1 strings, not bytes.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    chunk += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!;
    // Flush now and then: one huge string built by += is slow on some engines.
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  if (i < n) {
    const rest = n - i;
    const v = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    chunk += ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + (rest === 2 ? ALPHABET[(v >> 6) & 63]! : '=') + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

/** Decodes canonical padded base64; returns undefined for anything else (the caller reports it). */
export function base64ToBytes(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const a = LOOKUP[text.charCodeAt(i)] ?? -1;
    const b = LOOKUP[text.charCodeAt(i + 1)] ?? -1;
    const cPad = last && pad >= 2;
    const dPad = last && pad >= 1;
    const c = cPad ? 0 : (LOOKUP[text.charCodeAt(i + 2)] ?? -1);
    const d = dPad ? 0 : (LOOKUP[text.charCodeAt(i + 3)] ?? -1);
    if (a < 0 || b < 0 || c < 0 || d < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    if (!cPad) out[o++] = (v >> 8) & 255;
    if (!dPad) out[o++] = v & 255;
    // Non-canonical encodings (stray bits in the padding) would give two texts for one byte string.
    if (cPad && (v & 0xffff) !== 0) return undefined;
    if (dPad && !cPad && (v & 0xff) !== 0) return undefined;
  }
  return out;
}
