import { describe, expect, it } from 'vitest';
import { ed25519, ED25519_TORSION_SUBGROUP } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { FaygerError } from '@fayger/contracts';
import {
  checkEd25519PublicKey,
  checkEd25519SignatureEncoding,
  createEd25519Signer,
  createWebCryptoEd25519Backend,
  detectEd25519Backend,
  ed25519KeyId,
  ed25519PublicKeyFromSecret,
  generateEd25519KeyPair,
  hexToBytes,
  bytesToHex,
  nobleEd25519Backend,
  verifyEd25519,
  webCryptoSupportsEd25519,
  type Ed25519Backend,
} from '../src/index.js';
import { nodeEd25519Backend } from '../src/node/index.js';
import { RFC8032_VECTORS } from './fixtures/rfc8032.js';

const hex = (h: string) => hexToBytes(h)!;
const backends: Ed25519Backend[] = [nobleEd25519Backend, nodeEd25519Backend, createWebCryptoEd25519Backend()];
const Point = ed25519.Point;
const L = Point.Fn.ORDER;

function le(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
function leNum(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]);
  return n;
}
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const challenge = (R: Uint8Array, A: Uint8Array, M: Uint8Array) => leNum(sha512(concat(R, A, M))) % L;

/** An order-8 torsion point (the subgroup list holds canonical encodings of all 8). */
const T8 = ED25519_TORSION_SUBGROUP.map((h) => Point.fromHex(h)).find((p) => !p.is0() && !p.double().double().is0())!;

describe('RFC 8032 §7.1 test vectors', () => {
  for (const backend of backends) {
    for (const v of RFC8032_VECTORS) {
      it(`${v.name} on ${backend.name}: public key, signature and verification match`, async () => {
        const sk = hex(v.secretKey);
        expect(bytesToHex(ed25519PublicKeyFromSecret(sk))).toBe(v.publicKey);
        const signer = createEd25519Signer(sk, { backend });
        expect(bytesToHex(await signer.sign(hex(v.message)))).toBe(v.signature);
        expect(await verifyEd25519(hex(v.publicKey), hex(v.message), hex(v.signature), { backend })).toBe(true);
        const tampered = hex(v.signature);
        tampered[10] ^= 1;
        expect(await verifyEd25519(hex(v.publicKey), hex(v.message), tampered, { backend })).toBe(false);
      });
    }
  }
});

describe('strict verification policy', () => {
  const v = RFC8032_VECTORS[2];
  const pk = hex(v.publicKey);
  const msg = hex(v.message);
  const sig = hex(v.signature);
  const sk = hex(v.secretKey);
  const { scalar: a } = ed25519.utils.getExtendedPublicKey(sk);

  const cases: Array<{
    name: string;
    pk: Uint8Array;
    msg: Uint8Array;
    sig: Uint8Array;
    nobleCofactoredAccepts?: boolean;
  }> = [];
  // S + L: same point equation, non-canonical scalar.
  cases.push({
    name: 'non-canonical S (S + L)',
    pk,
    msg,
    sig: concat(sig.subarray(0, 32), le(leNum(sig.subarray(32)) + L)),
  });
  // R with a torsion component, signed so the cofactored equation holds but the cofactorless one does not.
  {
    const r = 123456789n;
    const R = Point.BASE.multiply(r).add(T8).toBytes();
    const S = (r + challenge(R, pk, msg) * a) % L;
    cases.push({
      name: 'R with a small-order component (cofactored-only signature)',
      pk,
      msg,
      sig: concat(R, le(S)),
      nobleCofactoredAccepts: true,
    });
  }
  // Small-order R (the identity), by the key owner: S = k·a makes [S]B = [k]A hold exactly.
  {
    const R = Point.ZERO.toBytes();
    const S = (challenge(R, pk, msg) * a) % L;
    cases.push({ name: 'small-order R (identity)', pk, msg, sig: concat(R, le(S)) });
  }
  // Non-canonical R: y = p + 1 encodes the same point as y = 1 (identity).
  {
    const R = le((1n << 255n) - 19n + 1n);
    cases.push({ name: 'non-canonical R encoding (y ≥ p)', pk, msg, sig: concat(R, sig.subarray(32)) });
  }
  // Mixed-order public key A + T: signatures by `a` verify under the cofactored equation only.
  {
    const A2 = Point.fromBytes(pk).add(T8).toBytes();
    const r = 987654321n;
    let R = Point.BASE.multiply(r).toBytes();
    let S = (r + challenge(R, A2, msg) * a) % L;
    cases.push({
      name: 'public key with a small-order component',
      pk: A2,
      msg,
      sig: concat(R, le(S)),
      nobleCofactoredAccepts: true,
    });
    R = Point.BASE.multiply(r + 1n).toBytes();
    S = (r + 1n + challenge(R, A2, msg) * a) % L;
    cases.push({
      name: 'public key with a small-order component (second signature)',
      pk: A2,
      msg,
      sig: concat(R, le(S)),
      nobleCofactoredAccepts: true,
    });
  }
  // Small-order public key (order 8) with a signature that satisfies the equation for it.
  cases.push({ name: 'small-order public key', pk: T8.toBytes(), msg, sig: concat(Point.ZERO.toBytes(), le(0n)) });
  // Non-canonical public key encoding.
  cases.push({ name: 'non-canonical public key (y ≥ p)', pk: le((1n << 255n) - 19n + 1n), msg, sig });

  for (const c of cases) {
    it(`rejects ${c.name} on every backend`, async () => {
      for (const backend of backends) {
        expect(await verifyEd25519(c.pk, c.msg, c.sig, { backend }), backend.name).toBe(false);
      }
      expect(
        checkEd25519PublicKey(c.pk) !== undefined ||
          checkEd25519SignatureEncoding(c.sig) !== undefined ||
          !nobleEd25519Backend.verify(c.pk, c.msg, c.sig),
      ).toBe(true);
      if (c.nobleCofactoredAccepts) {
        // The point of the policy: noble's own (cofactored, RFC-permitted) check would have said yes.
        expect(ed25519.verify(c.sig, c.msg, c.pk, { zip215: false })).toBe(true);
      }
    });
  }

  it('noble and native backends agree on many tampered inputs (raw backend verdicts)', async () => {
    const { secretKey, publicKey } = generateEd25519KeyPair();
    const message = new Uint8Array(200).map((_, i) => (i * 37) & 0xff);
    const good = await createEd25519Signer(secretKey, { backend: nobleEd25519Backend }).sign(message);
    const variants: Array<[Uint8Array, Uint8Array, Uint8Array]> = [[publicKey, message, good]];
    for (let bit = 0; bit < 512; bit += 7) {
      const s = good.slice();
      s[bit >> 3] ^= 1 << (bit & 7);
      variants.push([publicKey, message, s]);
    }
    for (let bit = 0; bit < 1600; bit += 97) {
      const m = message.slice();
      m[bit >> 3] ^= 1 << (bit & 7);
      variants.push([publicKey, m, good]);
    }
    for (let bit = 0; bit < 256; bit += 13) {
      const p = publicKey.slice();
      p[bit >> 3] ^= 1 << (bit & 7);
      variants.push([p, message, good]);
    }
    let accepted = 0;
    for (const [p, m, s] of variants) {
      const verdicts = await Promise.all(backends.map((b) => verifyEd25519(p, m, s, { backend: b })));
      expect(new Set(verdicts).size, `verdicts ${verdicts.join(',')}`).toBe(1);
      // Raw backends too, whenever the encodings pass the policy.
      if (checkEd25519PublicKey(p) === undefined && checkEd25519SignatureEncoding(s) === undefined) {
        const raw = await Promise.all(backends.map((b) => b.verify(p, m, s)));
        expect(new Set(raw).size).toBe(1);
      }
      if (verdicts[0]) accepted++;
    }
    expect(accepted).toBe(1);
    // ~120 variants × every backend (noble is slow): sized for a loaded 2-core machine, not vitest's 5 s default.
  }, 120_000);

  it('treats malformed lengths as "does not verify", never as a crash', async () => {
    const { publicKey } = generateEd25519KeyPair();
    expect(await verifyEd25519(publicKey, msg, new Uint8Array(63))).toBe(false);
    expect(await verifyEd25519(new Uint8Array(31), msg, sig)).toBe(false);
    expect(await verifyEd25519(publicKey, 'x' as never, sig)).toBe(false);
  });
});

describe('keys and signers', () => {
  it('derives documented key ids: ed25519: + base64url(sha256(pk)[0..16])', () => {
    const pk = hex(RFC8032_VECTORS[0].publicKey);
    const id = ed25519KeyId(pk);
    expect(id).toMatch(/^ed25519:[A-Za-z0-9_-]{22}$/);
    expect(ed25519KeyId(pk)).toBe(id);
    expect(ed25519KeyId(hex(RFC8032_VECTORS[1].publicKey))).not.toBe(id);
    expect(() => ed25519KeyId(new Uint8Array(5))).toThrowError(
      expect.objectContaining({ code: 'SECURITY_KEY_INVALID' }),
    );
  });

  it('generates distinct key pairs whose signer ids and keys agree', async () => {
    const a = generateEd25519KeyPair();
    const b = generateEd25519KeyPair();
    expect(bytesToHex(a.secretKey)).not.toBe(bytesToHex(b.secretKey));
    const signer = createEd25519Signer(a.secretKey);
    expect(signer.keyId).toBe(a.keyId);
    expect(bytesToHex(signer.publicKey)).toBe(bytesToHex(a.publicKey));
    const m = new Uint8Array([1, 2, 3]);
    const s = await signer.sign(m);
    expect(await verifyEd25519(a.publicKey, m, s)).toBe(true);
    expect(await verifyEd25519(b.publicKey, m, s)).toBe(false);
  });

  it('refuses a secret key of the wrong size with a typed error', () => {
    try {
      createEd25519Signer(new Uint8Array(31));
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'SECURITY_KEY_INVALID')).toBe(true);
    }
  });

  it('auto-detects node:crypto on Node and WebCrypto Ed25519 support', async () => {
    expect(detectEd25519Backend().name).toBe('node:crypto');
    expect(await webCryptoSupportsEd25519()).toBe(true);
  });
});
