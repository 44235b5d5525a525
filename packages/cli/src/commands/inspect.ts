import { one, parse } from '../args.js';
import { formatSize, hex } from '../bytes.js';
import { openBuf, openRef, refOf } from '../buf-file.js';
import { isSnapshotHeader } from '@fayger/loader';
import { readFileWithProgress, type CliIo } from '../io.js';
import { inspectSnapshot } from './inspect-snapshot.js';
import { inspectHelp } from './inspect-help.js';

export { inspectHelp };

export async function inspect(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse('inspect', args, {
    json: { type: 'boolean' },
    'trusted-roots': { type: 'string' },
  });
  if (values.help) return (io.stdout(inspectHelp), 0);
  const { ref: input, remote } = refOf(io.cwd, one('inspect', positionals, 'artifact file or URL'));
  let loaded;
  let size: number;
  if (!remote) {
    // A local file: read with a progress bar (large files), errors as CLI_IO.
    const bytes = await readFileWithProgress(io, input);
    size = bytes.length;
    if (isSnapshotHeader(bytes)) {
      const rootsFile = values['trusted-roots'] as string | undefined;
      return inspectSnapshot(bytes, input, io, { json: values.json === true, ...(rootsFile ? { rootsFile } : {}) });
    }
    loaded = await openBuf(bytes, input, { allowUnsigned: true });
  } else {
    // A URL: lazily, only header, manifest, index and signature travel.
    const source = await openRef(input);
    try {
      size = await source.size();
      loaded = await openBuf(source, input, { allowUnsigned: true });
    } finally {
      await source.close?.();
    }
  }

  const data = {
    file: input,
    size,
    header: loaded.header,
    manifest: loaded.manifest,
    sections: loaded.sections.map((s) => ({
      id: s.id,
      name: s.name,
      kind: s.kind,
      size: s.rawLength,
      storedSize: s.storedLength,
      offset: s.offset,
      digest: hex(s.digest),
      required: s.required,
      hosts: s.hosts,
      features: s.features,
      locales: s.locales,
      priority: s.priority,
      dependsOn: s.dependsOn,
      chunkSize: s.chunkSize,
    })),
    signatures: {
      count: loaded.signature.signatureCount,
      keyIds: loaded.signature.keyIds,
      rootDigest: hex(loaded.signature.rootDigest),
    },
  };
  if (values.json) {
    io.stdout(`${JSON.stringify(data, null, 2)}\n`);
    return 0;
  }
  const h = data.header;
  const m = data.manifest;
  const lines: string[] = [];
  lines.push(`${input} (${formatSize(data.size)})`, '');
  lines.push('header');
  lines.push(
    `  format      ${h.formatMajor}.${h.formatMinor}   digest ${h.digestAlgorithm}   alignment ${h.alignment}`,
  );
  lines.push(`  flags       critical 0x${h.criticalFlags.toString(16)}   optional 0x${h.optionalFlags.toString(16)}`);
  lines.push(
    `  manifest    @${h.manifestOffset} ${h.manifestLength} B   index @${h.indexOffset} ${h.indexLength} B`,
    '',
  );
  lines.push('manifest');
  lines.push(`  id          ${m.id}`, `  version     ${m.version}`, `  publisher   ${m.publisher}`);
  lines.push(`  runtime     interface ${m.runtime.interface}`, `  entry       ${m.entry.section}#${m.entry.export}`);
  lines.push(`  sequence    ${m.security.sequence}${m.security.expires ? `   expires ${m.security.expires}` : ''}`);
  lines.push(`  capabilities ${m.capabilities.map((c) => c.name).join(', ') || 'none'}`, '');
  lines.push('sections');
  const rows = data.sections.map((s) => [
    String(s.id),
    s.name,
    s.kind,
    formatSize(s.size),
    `${s.digest.slice(0, 16)}…`,
    [
      s.required ? 'required' : '',
      s.hosts.length ? `hosts=${s.hosts.join(',')}` : '',
      s.features.length ? `features=${s.features.join(',')}` : '',
      s.locales.length ? `locales=${s.locales.join(',')}` : '',
      s.priority ? `priority=${s.priority}` : '',
      s.dependsOn.length ? `deps=${s.dependsOn.join(',')}` : '',
      s.chunkSize ? `chunks=${formatSize(s.chunkSize)}` : '',
    ]
      .filter(Boolean)
      .join(' ') || '-',
  ]);
  const head = ['id', 'name', 'kind', 'size', 'sha256', 'selectors'];
  const widths = head.map((t, i) => Math.max(t.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`;
  lines.push(fmt(head), ...rows.map(fmt), '');
  lines.push('signatures');
  lines.push(data.signatures.count ? data.signatures.keyIds.map((k) => `  ${k}`).join('\n') : '  none (unsigned)');
  lines.push(`  root digest ${data.signatures.rootDigest}`);
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
