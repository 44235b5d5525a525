import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { bytesToHex } from '../bytes.js';
import { BoundedCache } from './backend.js';
import { bytesToNumberLE } from './noble.js';

/*
 * Strict verification policy (RFC 8032 §5.1.7, stricter where the RFC leaves room), applied before any
 * backend sees the input:
 *  - S must be canonical: 0 ≤ S < L.
 *  - R must be a canonical encoding (y < p, no "negative zero" x) and must not be one of the 8 small-order
 *    points.
 *  - A (the public key) must be a canonical encoding of a point on the curve, not of small order and in the
 *    prime-order subgroup (torsion-free), so the cofactored and cofactorless equations cannot disagree.
 *  - The equation is the cofactorless `[S]B = R + [k]A` with R compared by encoding (what OpenSSL and
 *    BoringSSL do).
 * This rejects everything ZIP-215 would additionally accept.
 */

const Point = ed25519.Point;
const L = Point.Fn.ORDER;
const SMALL_ORDER_R = new Set(ED25519_TORSION_SUBGROUP.map((h) => h.toLowerCase()));

/** Why a public key is refused, or undefined when it is acceptable. Results are cached per key. */
const keyVerdicts = new BoundedCache<string | null>();

export function checkEd25519PublicKey(publicKey: Uint8Array): string | undefined {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    return `an Ed25519 public key is 32 bytes, found ${publicKey instanceof Uint8Array ? publicKey.length + ' bytes' : typeof publicKey}`;
  }
  const hex = bytesToHex(publicKey);
  const cached = keyVerdicts.get(hex);
  if (cached !== undefined) return cached ?? undefined;
  return keyVerdicts.set(hex, evaluateKey(publicKey)) ?? undefined;
}

function evaluateKey(publicKey: Uint8Array): string | null {
  if (isNonCanonicalY(publicKey)) return 'the public key is a non-canonical encoding (y ≥ p)';
  let A: ReturnType<typeof Point.fromBytes>;
  try {
    A = Point.fromBytes(publicKey, false);
  } catch {
    return 'the public key does not encode a point on the curve (or uses a non-canonical encoding)';
  }
  if (A.isSmallOrder()) return 'the public key is a small-order point';
  if (!A.isTorsionFree()) return 'the public key has a small-order component (not in the prime-order subgroup)';
  return null;
}

function isNonCanonicalY(enc: Uint8Array): boolean {
  // y ≥ p = 2^255 − 19 ⇔ low byte ≥ 0xed, bytes 1..30 all 0xff, byte 31 (sign bit masked) 0x7f.
  if (enc[0] < 0xed || (enc[31] & 0x7f) !== 0x7f) return false;
  for (let i = 1; i < 31; i++) if (enc[i] !== 0xff) return false;
  return true;
}

function isNegativeZeroX(enc: Uint8Array): boolean {
  // x = 0 happens only for y = ±1; setting the sign bit there is a second encoding of the same point.
  if ((enc[31] & 0x80) === 0) return false;
  const y = bytesToNumberLE(enc.subarray(0, 32)) & ((1n << 255n) - 1n);
  const p = (1n << 255n) - 19n;
  return y === 1n || y === p - 1n;
}

/** Why a signature encoding is refused, or undefined when acceptable. */
export function checkEd25519SignatureEncoding(signature: Uint8Array): string | undefined {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) {
    return `an Ed25519 signature is 64 bytes, found ${signature instanceof Uint8Array ? signature.length + ' bytes' : typeof signature}`;
  }
  const R = signature.subarray(0, 32);
  if (bytesToNumberLE(signature.subarray(32, 64)) >= L) return 'S is not canonical (S ≥ L)';
  if (isNonCanonicalY(R) || isNegativeZeroX(R)) return 'R is a non-canonical point encoding';
  if (SMALL_ORDER_R.has(bytesToHex(R))) return 'R is a small-order point';
  return undefined;
}
