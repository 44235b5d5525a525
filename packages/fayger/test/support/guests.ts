import type { Manifest } from '@fayger/contracts';
import { packBuf } from '@fayger/loader';
import {
  createEd25519Signer,
  detectDigestProvider,
  generateEd25519KeyPair,
  trustedRootEntry,
  type TrustedRootsDocument,
} from '@fayger/security';

const enc = new TextEncoder();
const name = (s: string) => [s.length, ...enc.encode(s)];
const section = (id: number, body: number[]) => [id, body.length, ...body];

/**
 * Hand-assembled guests (each section is < 128 bytes, so one-byte LEB lengths hold).
 * - `denialProbe`: `_start` calls fayger.random_fill(0, 4) and exits with its status (0 ok, 1 FAYGER_EDENIED).
 * - `spinner`: `_start` loops forever (only fuel or wall time ends it).
 * - `quick`: `_start` sleeps 20 ms (fayger.sleep_ms) then exits 0 via fayger.exit.
 */
export function denialProbe(): Uint8Array {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [0x03, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00]),
    ...section(2, [
      0x02,
      ...name('fayger'),
      ...name('random_fill'),
      0x00,
      0x00,
      ...name('fayger'),
      ...name('exit'),
      0x00,
      0x01,
    ]),
    ...section(3, [0x01, 0x02]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('_start'), 0x00, 0x02]),
    ...section(10, [0x01, 0x0a, 0x00, 0x41, 0x00, 0x41, 0x04, 0x10, 0x00, 0x10, 0x01, 0x0b]),
  ]);
}

export function spinner(): Uint8Array {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(3, [0x01, 0x00]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('_start'), 0x00, 0x00]),
    // loop: br 0
    ...section(10, [0x01, 0x07, 0x00, 0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b]),
  ]);
}

export function quick(): Uint8Array {
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    // t0 (f64)->i32, t1 (i32)->(), t2 ()->()
    ...section(1, [0x03, 0x60, 0x01, 0x7c, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00]),
    ...section(2, [
      0x02,
      ...name('fayger'),
      ...name('sleep_ms'),
      0x00,
      0x00,
      ...name('fayger'),
      ...name('exit'),
      0x00,
      0x01,
    ]),
    ...section(3, [0x01, 0x02]),
    ...section(5, [0x01, 0x00, 0x01]),
    ...section(7, [0x02, ...name('memory'), 0x02, 0x00, ...name('_start'), 0x00, 0x02]),
    // f64.const 20; call sleep_ms; drop; i32.const 0; call exit
    ...section(
      10,
      [0x01, 0x12, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0x34, 0x40, 0x10, 0x00, 0x1a, 0x41, 0x00, 0x10, 0x01, 0x0b],
    ),
  ]);
}

/** Module prefix: type () -> i32, one function, a 1-page memory, exports `memory` and `_start` (no code section yet). */
export const I32_START_HEADER: readonly number[] = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 5, 3, 1, 0, 1, 7, 19, 2, 6, 109, 101, 109, 111, 114,
  121, 2, 0, 6, 95, 115, 116, 97, 114, 116, 0, 0,
];

/** Signed LEB128 of an i32 constant. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

/**
 * `_start` counts a local from 0 to `n` in a loop and returns n % 256 — scalar code both engines compile, whose
 * fuel grows with `n` (n = 1000 → 232, n = 1,000,000 → 64).
 */
export function counterLoop(n: number): Uint8Array {
  // local i32; loop: i += 1; br_if (i < n); end; i % 256
  const body = [
    1,
    1,
    127,
    3,
    64,
    32,
    0,
    65,
    1,
    106,
    33,
    0,
    32,
    0,
    65,
    ...sleb(n),
    73,
    13,
    0,
    11,
    32,
    0,
    65,
    128,
    2,
    112,
    11,
  ];
  return new Uint8Array([...I32_START_HEADER, ...section(10, [1, body.length, ...body])]);
}

export interface TestKey {
  roots: TrustedRootsDocument;
  pack(
    id: string,
    wasm: Uint8Array,
    capabilities: Manifest['capabilities'],
    quotas?: Manifest['quotas'],
  ): Promise<Uint8Array>;
}

/** A fresh signing key trusted for publisher `test.fayger`, and a packer for signed single-section BuFs. */
export function testKey(): TestKey {
  const kp = generateEd25519KeyPair();
  const signer = createEd25519Signer(kp.secretKey);
  const digest = detectDigestProvider();
  return {
    roots: { version: 1, keys: [trustedRootEntry(kp.publicKey, { publishers: ['test.fayger'] })] },
    pack: (id, wasm, capabilities, quotas = {}) =>
      packBuf(
        {
          id,
          version: '1.0.0',
          publisher: 'test.fayger',
          runtime: { interface: '^1.0.0' },
          entry: { section: 'main', export: '_start' },
          capabilities,
          quotas,
          security: { sequence: 1 },
        },
        [{ name: 'main', kind: 'code', data: wasm, required: true }],
        { digest, signers: [signer] },
      ),
  };
}

/**
 * A WASI guest that creates `kept.txt` in its first preopen (fd 3) and writes its name into it; exits 0 (9 when
 * path_open fails). Assembled by wabt from:
 * (module
 *   (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
 *   (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
 *   (memory (export "memory") 1)
 *   (data (i32.const 100) "kept.txt")
 *   (func (export "_start") (result i32)
 *     (if (call $open (i32.const 3) (i32.const 0) (i32.const 100) (i32.const 8) (i32.const 1) (i64.const 64)
 *                     (i64.const 0) (i32.const 0) (i32.const 200))
 *       (then (return (i32.const 9))))
 *     (i32.store (i32.const 16) (i32.const 100))
 *     (i32.store (i32.const 20) (i32.const 8))
 *     (call $write (i32.load (i32.const 200)) (i32.const 16) (i32.const 1) (i32.const 24))))
 */
export function fileWriter(): Uint8Array {
  // biome-ignore format: a byte dump
  return new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 26, 3, 96, 9, 127, 127, 127, 127, 127, 126, 126, 127, 127, 1, 127, 96, 4, 127, 127, 127, 127, 1, 127, 96, 0, 1, 127, 2, 70, 2, 22, 119, 97, 115, 105, 95, 115, 110, 97, 112, 115, 104, 111, 116, 95, 112, 114, 101, 118, 105, 101, 119, 49, 9, 112, 97, 116, 104, 95, 111, 112, 101, 110, 0, 0, 22, 119, 97, 115, 105, 95, 115, 110, 97, 112, 115, 104, 111, 116, 95, 112, 114, 101, 118, 105, 101, 119, 49, 8, 102, 100, 95, 119, 114, 105, 116, 101, 0, 1, 3, 2, 1, 2, 5, 3, 1, 0, 1, 7, 19, 2, 6, 109, 101, 109, 111, 114, 121, 2, 0, 6, 95, 115, 116, 97, 114, 116, 0, 2, 10, 62, 1, 60, 0, 65, 3, 65, 0, 65, 228, 0, 65, 8, 65, 1, 66, 192, 0, 66, 0, 65, 0, 65, 200, 1, 16, 0, 4, 64, 65, 9, 15, 11, 65, 16, 65, 228, 0, 54, 2, 0, 65, 20, 65, 8, 54, 2, 0, 65, 200, 1, 40, 2, 0, 65, 16, 65, 1, 65, 24, 16, 1, 11, 11, 15, 1, 0, 65, 228, 0, 11, 8, 107, 101, 112, 116, 46, 116, 120, 116]);
}
