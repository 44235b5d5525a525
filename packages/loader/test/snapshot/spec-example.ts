// The worked example of docs/spec/snapshot-v1.md §10: a tiny signed snapshot as an annotated hex dump. The test
// spec-example.test.ts regenerates it and compares it with the document (UPDATE_DOCS=1 rewrites the document).
import { encodeSnapshot, openSnapshot } from '../../src/index.js';
import { decodeHeader } from '../../src/format/header.js';
import { decodeIndex } from '../../src/format/index-codec.js';
import { nodeDigest } from '../helpers.js';
import { hostKey, tinySnapshot } from './fixtures.js';

export async function specExample(): Promise<{ text: string; bytes: Uint8Array }> {
  const key = hostKey(1);
  const bytes = await encodeSnapshot(tinySnapshot(), { digest: nodeDigest, signer: key });
  const h = decodeHeader(bytes.subarray(0, 64), bytes.length, 'snapshot');
  const entries = decodeIndex(bytes.subarray(h.indexOffset, h.indexOffset + h.indexLength), bytes.length);
  const regions: [number, number, string][] = [
    [0, 64, 'header'],
    [64, 64 + h.manifestLength, 'metadata'],
    [h.indexOffset, h.indexOffset + h.indexLength, 'index'],
    ...entries.map(
      (e) => [e.offset, e.offset + e.storedLength, `section ${e.id} ${e.name} (${e.kind})`] as [number, number, string],
    ),
  ];
  const label = (off: number) => regions.find(([a, b]) => off >= a && off < b)?.[2] ?? 'padding';
  const lines: string[] = [];
  let previous = '';
  let starred = false;
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join(' ')
      .padEnd(47);
    const asc = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    const body = `${hex}  |${asc.padEnd(16)}|  ${label(off)}`;
    // As `hexdump -C`: a run of rows identical to the one above is shown as one `*`.
    if (body === previous && row.length === 16) {
      if (!starred) lines.push('*');
      starred = true;
      continue;
    }
    starred = false;
    previous = body;
    lines.push(`${off.toString(16).padStart(8, '0')}  ${body}`);
  }
  const loaded = await openSnapshot(bytes, { digest: nodeDigest, trust: { allowUnsigned: true } });
  const out = [
    ...lines,
    '',
    `total ${bytes.length} bytes; key id ${key.keyId}`,
    `regions: ${regions.map(([a, b, n]) => `${n} [${a}, ${b})`).join('; ')}`,
    `root digest ${loaded.rootDigest}`,
    `metadata ${new TextDecoder().decode(bytes.subarray(64, 64 + h.manifestLength))}`,
  ];
  return { text: out.join('\n'), bytes };
}
