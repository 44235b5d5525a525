import type { SignatureRecord } from '@fayger/contracts';
import { loaderError } from '../errors.js';
import {
  DIGEST_LENGTH,
  ED25519_SIGNATURE_LENGTH,
  KEY_ID_RE,
  SIGNATURE_MAGIC,
  SIGNATURE_SECTION_VERSION,
  SIG_ALG_ED25519,
} from './constants.js';

export interface SignatureSection {
  rootDigest: Uint8Array;
  signatures: SignatureRecord[];
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });
const SIG_HEADER = 8 + DIGEST_LENGTH;

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Size of the signature section for these key ids (ed25519 signatures have a fixed length). */
export function signatureSectionLength(keyIds: readonly string[]): number {
  let n = SIG_HEADER;
  for (const k of keyIds) n += 4 + enc.encode(k).length + ED25519_SIGNATURE_LENGTH;
  return n;
}

/** Records sorted by key id bytes: one canonical order, whatever order the signers were given in. */
export function sortSignatures(sigs: readonly SignatureRecord[]): SignatureRecord[] {
  return [...sigs].sort((a, b) => compareBytes(enc.encode(a.keyId), enc.encode(b.keyId)));
}

export function encodeSignatureSection(s: SignatureSection): Uint8Array {
  const sigs = sortSignatures(s.signatures);
  const out = new Uint8Array(signatureSectionLength(sigs.map((x) => x.keyId)));
  const view = new DataView(out.buffer);
  out.set(SIGNATURE_MAGIC, 0);
  view.setUint16(4, SIGNATURE_SECTION_VERSION, true);
  view.setUint16(6, sigs.length, true);
  out.set(s.rootDigest, 8);
  let p = SIG_HEADER;
  for (const r of sigs) {
    const k = enc.encode(r.keyId);
    view.setUint8(p, SIG_ALG_ED25519);
    view.setUint8(p + 1, k.length);
    view.setUint16(p + 2, r.signature.length, true);
    out.set(k, p + 4);
    out.set(r.signature, p + 4 + k.length);
    p += 4 + k.length + r.signature.length;
  }
  return out;
}

export function decodeSignatureSection(bytes: Uint8Array, phase = 'verify-digest'): SignatureSection {
  const bad = (expected: string, found: string, at: number): never => {
    throw loaderError('LOADER_SIGNATURE_SECTION_INVALID', phase, {
      what: 'parsing the signature section',
      expected,
      found,
      details: { at },
    });
  };
  if (bytes.length < SIG_HEADER) bad(`at least ${SIG_HEADER} bytes`, `${bytes.length}`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < 4; i++) if (bytes[i] !== SIGNATURE_MAGIC[i]) bad('magic "BSIG"', 'other bytes', 0);
  const version = view.getUint16(4, true);
  if (version !== SIGNATURE_SECTION_VERSION) bad(`version ${SIGNATURE_SECTION_VERSION}`, String(version), 4);
  const count = view.getUint16(6, true);
  if (count === 0) bad('at least one signature', '0', 6);
  const rootDigest = bytes.slice(8, SIG_HEADER);
  const signatures: SignatureRecord[] = [];
  let p = SIG_HEADER;
  let prev: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    if (p + 4 > bytes.length) bad(`signature record ${i}`, 'end of section', p);
    const alg = view.getUint8(p);
    const keyLen = view.getUint8(p + 1);
    const sigLen = view.getUint16(p + 2, true);
    if (alg !== SIG_ALG_ED25519) bad(`algorithm ${SIG_ALG_ED25519} (ed25519)`, String(alg), p);
    if (sigLen !== ED25519_SIGNATURE_LENGTH) bad(`signature length ${ED25519_SIGNATURE_LENGTH}`, String(sigLen), p + 2);
    if (keyLen === 0 || p + 4 + keyLen + sigLen > bytes.length)
      bad(`record ${i} within the section`, `key id length ${keyLen}`, p + 1);
    const keyBytes = bytes.subarray(p + 4, p + 4 + keyLen);
    let keyId = '';
    try {
      keyId = dec.decode(keyBytes);
    } catch {
      bad('a UTF-8 key id', 'invalid UTF-8', p + 4);
    }
    if (!KEY_ID_RE.test(keyId)) bad('a key id of printable ASCII', JSON.stringify(keyId), p + 4);
    if (prev && compareBytes(prev, keyBytes) >= 0)
      bad('records sorted by key id, no duplicates', `"${keyId}" out of order`, p);
    prev = keyBytes;
    signatures.push({ keyId, algorithm: 'ed25519', signature: bytes.slice(p + 4 + keyLen, p + 4 + keyLen + sigLen) });
    p += 4 + keyLen + sigLen;
  }
  if (p !== bytes.length) bad('the section to end after the last record', `${bytes.length - p} trailing bytes`, p);
  return { rootDigest, signatures };
}
