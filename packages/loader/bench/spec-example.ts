// Generates the worked example of docs/spec/buf-v1.md: a small signed artifact, annotated hex dump.
// Run: pnpm --filter @fayger/loader spec:example
import { createEd25519Signer } from '@fayger/security';
import { nodeDigestProvider } from '@fayger/security/node';
import { MemorySource, loadBuf, packBuf } from '../src/index.js';
import { decodeHeader } from '../src/format/header.js';
import { decodeIndex } from '../src/format/index-codec.js';

const signer = createEd25519Signer(new Uint8Array(32).fill(1));
const bytes = await packBuf(
  {
    id: 'com.example.hi',
    version: '1.0.0',
    publisher: 'example.com',
    runtime: { interface: '^1.0.0' },
    entry: { section: 'main', export: '_start' },
    capabilities: [{ name: 'log', required: true }],
    quotas: { fuel: 1000000 },
    security: { sequence: 1 },
  },
  [
    { name: 'main', kind: 'code', data: Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00), required: true },
    { name: 'hello', kind: 'data', data: new TextEncoder().encode('hello'), locales: ['en'], dependsOn: ['main'] },
  ],
  { digest: nodeDigestProvider, signers: [signer] },
);
const h = decodeHeader(bytes, bytes.length);
const entries = decodeIndex(bytes.subarray(h.indexOffset, h.indexOffset + h.indexLength), bytes.length);
const regions: [number, number, string][] = [
  [0, 64, 'header'],
  [64, 64 + h.manifestLength, 'manifest'],
  [h.indexOffset, h.indexOffset + h.indexLength, 'index'],
  ...entries.map(
    (e) => [e.offset, e.offset + e.storedLength, `section ${e.id} ${e.name} (${e.kind})`] as [number, number, string],
  ),
];
const label = (off: number) => regions.find(([a, b]) => off >= a && off < b)?.[2] ?? 'padding';
const lines: string[] = [];
for (let off = 0; off < bytes.length; off += 16) {
  const row = bytes.subarray(off, off + 16);
  const hex = [...row]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join(' ')
    .padEnd(47);
  const asc = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  lines.push(`${off.toString(16).padStart(8, '0')}  ${hex}  |${asc.padEnd(16)}|  ${label(off)}`);
}
console.log(lines.join('\n'));
console.log(`\ntotal ${bytes.length} bytes; key id ${signer.keyId}`);
console.log('regions:', regions.map(([a, b, n]) => `${n} [${a}, ${b})`).join('; '));
const loaded = await loadBuf(new MemorySource(bytes), {
  digest: nodeDigestProvider,
  trust: { allowUnsigned: true },
  profile: { host: 'server' },
  supportedInterfaceVersions: ['1.0.0'],
});
console.log('root digest', Buffer.from(loaded.signature.rootDigest).toString('hex'));
console.log('manifest', new TextDecoder().decode(loaded.manifestBytes));
