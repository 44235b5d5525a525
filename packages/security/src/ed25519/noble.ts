import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { bytesEqual, bytesToHex } from '../bytes.js';
import { BoundedCache, type Ed25519Backend } from './backend.js';

const Point = ed25519.Point;
const L = Point.Fn.ORDER;

export function bytesToNumberLE(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

type EdPoint = ReturnType<typeof Point.fromBytes>;
const decoded = new BoundedCache<EdPoint>();

function decodeKey(publicKey: Uint8Array): EdPoint {
  const hex = bytesToHex(publicKey);
  return decoded.get(hex) ?? decoded.set(hex, Point.fromBytes(publicKey, false));
}

/**
 * Portable backend on @noble/curves. noble's own `verify` uses the cofactored equation; native libraries
 * (OpenSSL, BoringSSL) use the cofactorless one and compare R by encoding. Both are allowed by RFC 8032
 * §5.1.7, but they disagree on crafted signatures, so this backend computes the cofactorless check itself
 * from noble's point arithmetic and all backends agree.
 */
export const nobleEd25519Backend: Ed25519Backend = {
  name: 'noble',
  verify(publicKey, message, signature) {
    let A: EdPoint;
    try {
      A = decodeKey(publicKey);
    } catch {
      return false;
    }
    const r = signature.subarray(0, 32);
    const s = bytesToNumberLE(signature.subarray(32, 64));
    if (s >= L) return false;
    const h = new Uint8Array(64 + message.length);
    h.set(r, 0);
    h.set(publicKey, 32);
    h.set(message, 64);
    const k = bytesToNumberLE(sha512(h)) % L;
    const rCheck = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
    return bytesEqual(rCheck.toBytes(), r);
  },
  sign(secretKey, message) {
    return ed25519.sign(message, secretKey);
  },
};

export function noblePublicKeyFromSecret(secretKey: Uint8Array): Uint8Array {
  return ed25519.getPublicKey(secretKey);
}
