'use strict';
/**
 * The npm proof on a host that really has no WebAssembly: run as `node --jitless test/facade-npm/jitless-host.cjs`
 * (after `pnpm build`). Under --jitless V8 removes the `WebAssembly` global; this script installs the
 * interpreter's facade (from dist) in its place, loads the unmodified packages `hash-wasm` and `brotli-wasm`,
 * and checks their outputs against node:crypto and node:zlib. Prints one JSON line; exit code 0 when all match.
 */
const { createHash } = require('node:crypto');
const { brotliCompressSync, brotliDecompressSync } = require('node:zlib');
const { join } = require('node:path');

async function main() {
  const hadNative = typeof globalThis.WebAssembly !== 'undefined';
  const { WebAssembly: facade } = require(join(__dirname, '../../dist/webassembly.cjs'));
  globalThis.WebAssembly = facade;
  const checks = [];
  const check = (name, ok) => checks.push({ name, ok: Boolean(ok) });

  const hashwasm = require('hash-wasm');
  const data = Uint8Array.from({ length: 3000 }, (_, i) => (i * 131 + (i >> 5)) & 255);
  for (const [algo, fn] of [
    ['md5', hashwasm.md5],
    ['sha1', hashwasm.sha1],
    ['sha256', hashwasm.sha256],
  ]) {
    check(`hash-wasm ${algo}`, (await fn(data)) === createHash(algo).update(data).digest('hex'));
  }

  const brotli = require('brotli-wasm');
  const text = Buffer.from('Fayger runs BuF artifacts where WebAssembly is forbidden. '.repeat(30));
  check('brotli-wasm decompress', Buffer.from(brotli.decompress(brotliCompressSync(text))).equals(text));
  check('brotli-wasm compress', brotliDecompressSync(brotli.compress(text, { quality: 1 })).equals(text));

  const ok = checks.every((c) => c.ok);
  console.log(
    JSON.stringify({ jitless: process.execArgv.includes('--jitless'), hadNativeWebAssembly: hadNative, ok, checks }),
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  console.log(JSON.stringify({ ok: false, error: String(e?.stack ? e.stack : e) }));
  process.exitCode = 1;
});
