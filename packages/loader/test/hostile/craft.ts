// Crafts artifacts the builder refuses to write (overlaps, duplicates, flags...) and re-signs them, so a
// test sees the structural rule fire rather than a signature failure. Uses the format codecs directly.
import type { DigestProvider, Signer } from '@fayger/contracts';
import { HEADER_LENGTH, align } from '../../src/format/constants.js';
import { decodeHeader, encodeHeader } from '../../src/format/header.js';
import { decodeIndex, encodeIndex, type IndexEntry } from '../../src/format/index-codec.js';
import { computeRootDigest } from '../../src/format/root-digest.js';
import { encodeSignatureSection } from '../../src/format/signature-section.js';

export interface Parts {
  manifestBytes: Uint8Array;
  entries: IndexEntry[];
  bodies: Map<number, Uint8Array>;
  alignment: number;
}

export function decompose(file: Uint8Array): Parts {
  const h = decodeHeader(file, file.length);
  const entries = decodeIndex(file.subarray(h.indexOffset, h.indexOffset + h.indexLength), file.length);
  const bodies = new Map(
    entries.filter((e) => e.kind !== 'signature').map((e) => [e.id, file.slice(e.offset, e.offset + e.storedLength)]),
  );
  return {
    manifestBytes: file.slice(h.manifestOffset, h.manifestOffset + h.manifestLength),
    entries,
    bodies,
    alignment: h.alignment,
  };
}

export interface AssembleOptions {
  digest: DigestProvider;
  signers: readonly Signer[];
  criticalFlags?: number;
  minor?: number;
  /** Override the header total length (default: end of the last entry). */
  totalLength?: number;
  /** Bytes appended after the computed end. */
  trailing?: Uint8Array;
  /** Re-lay out offsets canonically (default true); false keeps the offsets in `entries`. */
  relayout?: boolean;
}

export async function assemble(p: Parts, o: AssembleOptions): Promise<Uint8Array> {
  const entries = p.entries.map((e) => ({ ...e }));
  const indexBytes0 = encodeIndex(entries);
  const indexOffset = align(HEADER_LENGTH + p.manifestBytes.length, p.alignment);
  if (o.relayout !== false) {
    let end = indexOffset + indexBytes0.length;
    for (const e of entries) {
      e.offset = align(end, p.alignment);
      end = e.offset + e.storedLength;
    }
  }
  const indexBytes = encodeIndex(entries);
  const end = entries.reduce((m, e) => Math.max(m, e.offset + e.storedLength), indexOffset + indexBytes.length);
  const totalLength = o.totalLength ?? end + (o.trailing?.length ?? 0);
  const header = encodeHeader({
    formatMajor: 1,
    formatMinor: o.minor ?? 0,
    criticalFlags: o.criticalFlags ?? 0,
    optionalFlags: 0,
    alignment: p.alignment,
    totalLength,
    manifestOffset: HEADER_LENGTH,
    manifestLength: p.manifestBytes.length,
    indexOffset,
    indexLength: indexBytes.length,
    headerLength: HEADER_LENGTH,
  });
  const out = new Uint8Array(
    o.totalLength !== undefined && !o.trailing ? o.totalLength : Math.max(end + (o.trailing?.length ?? 0), totalLength),
  );
  out.set(header, 0);
  out.set(p.manifestBytes, HEADER_LENGTH);
  out.set(indexBytes, indexOffset);
  for (const e of entries) {
    const b = p.bodies.get(e.id);
    if (b && e.kind !== 'signature' && e.offset < out.length)
      out.set(b.subarray(0, Math.min(b.length, out.length - e.offset)), e.offset);
  }
  if (o.trailing) out.set(o.trailing, end);
  const sig = entries.find((e) => e.kind === 'signature');
  if (sig && sig.offset + sig.storedLength <= out.length) {
    const root = await computeRootDigest(o.digest, header, p.manifestBytes, indexBytes);
    const signatures = [];
    for (const s of o.signers)
      signatures.push({ keyId: s.keyId, algorithm: 'ed25519' as const, signature: await s.sign(root) });
    out.set(encodeSignatureSection({ rootDigest: root, signatures }), sig.offset);
  }
  return out;
}
