import { resolve } from 'node:path';
import { ENGINE_NEUTRAL_STATE_VERSION, FaygerError, type LoadTrust } from '@fayger/contracts';
import { openSnapshot, type LoadedSnapshot } from '@fayger/loader';
import { createTrustVerifier, detectDigestProvider } from '@fayger/security';
import { formatSize } from '../bytes.js';
import { readText, type CliIo } from '../io.js';

/**
 * `fayger inspect` of a snapshot (docs/spec/snapshot-v1.md): every digest is checked; the signature is checked
 * against `--trusted-roots` when given (a trust failure is reported, not fatal: inspecting is for looking).
 */
export async function inspectSnapshot(
  bytes: Uint8Array,
  input: string,
  io: CliIo,
  options: { json: boolean; rootsFile?: string },
): Promise<number> {
  const digest = detectDigestProvider();
  // Digests and structure first, signatures unchecked: a malformed or altered snapshot fails here.
  const loaded: LoadedSnapshot = await openSnapshot(bytes, { digest, trust: { allowUnsigned: true } });
  let verification: { verified: boolean; keyIds: readonly string[]; error?: string; code?: string };
  if (options.rootsFile) {
    const roots = await readText(resolve(io.cwd, options.rootsFile));
    const trust: LoadTrust = createTrustVerifier({ roots, policy: {} });
    try {
      const v = await openSnapshot(bytes, { digest, trust });
      verification = { verified: v.verified, keyIds: v.verifiedKeyIds };
    } catch (err) {
      if (!FaygerError.is(err, 'SNAPSHOT_UNTRUSTED')) throw err;
      verification = { verified: false, keyIds: [], error: err.message, code: err.code };
    }
  } else {
    verification = { verified: false, keyIds: [] };
  }
  const s = loaded.snapshot;
  const data = {
    file: input,
    kind: 'snapshot',
    size: loaded.totalLength,
    app: s.app,
    codeDigest: s.codeDigest,
    entry: s.entry,
    engine: {
      id: s.engine.engine,
      stateVersion: s.engine.stateVersion,
      stateBytes: loaded.stateLength,
      neutral: s.engine.stateVersion === ENGINE_NEUTRAL_STATE_VERSION,
    },
    fuelUsed: s.engine.fuelUsed,
    memories: loaded.memories.map((m, i) => ({
      index: i,
      pages: m.pages,
      nonZeroPages: m.storedPages,
      bytes: m.sectionLength,
    })),
    calls: s.engine.calls,
    pending: s.pending ?? null,
    grants: s.grants,
    resources: s.resources,
    origin: s.origin,
    signature: {
      keyIds: loaded.keyIds,
      rootDigest: loaded.rootDigest,
      checked: options.rootsFile !== undefined,
      verified: verification.verified,
      verifiedKeyIds: verification.keyIds,
      ...(verification.code ? { error: { code: verification.code, message: verification.error } } : {}),
    },
  };
  if (options.json) {
    io.stdout(`${JSON.stringify(data, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  lines.push(`${input} (${formatSize(data.size)}) — Fayger instance snapshot v1`, '');
  lines.push(`app           ${s.app.id} ${s.app.version}`);
  lines.push(`code digest   ${s.codeDigest}`);
  lines.push(`entry         ${s.entry}`);
  lines.push(
    `engine        written by ${s.engine.engine}, state version ${s.engine.stateVersion} (${formatSize(loaded.stateLength)}${
      data.engine.neutral ? ', engine-neutral: resumes on either engine' : `, resumes on ${s.engine.engine} only`
    })`,
  );
  lines.push(`fuel used     ${s.engine.fuelUsed}`);
  lines.push('memories');
  if (data.memories.length === 0) lines.push('  none');
  for (const m of data.memories)
    lines.push(
      `  ${m.index}  ${m.pages} pages (${formatSize(m.pages * 65536)}), ${m.nonZeroPages} non-zero stored (${formatSize(m.bytes)})`,
    );
  lines.push('calls');
  if (s.engine.calls.length === 0) lines.push('  none');
  for (const c of s.engine.calls)
    lines.push(`  ${c.export}${c.waiting ? '   (waiting on a host call)' : '   (suspended)'}`);
  lines.push(
    `pending call  ${s.pending ? `${s.pending.op}${s.pending.capability ? ` (capability ${s.pending.capability})` : ''}` : 'none'}`,
  );
  lines.push(
    `grants        ${s.grants.map((g) => g.name).join(', ') || 'none'}   (informational: a resume negotiates again)`,
  );
  lines.push('resources');
  if (s.resources.length === 0) lines.push('  none');
  for (const r of s.resources)
    lines.push(`  ${r.kind} ${r.handle}${r.capability ? ` [${r.capability}]` : ''} ${JSON.stringify(r.data)}`);
  lines.push(`origin        ${s.origin.hostKind}, taken ${s.origin.takenAt}`);
  lines.push('signature');
  lines.push(loaded.keyIds.length ? loaded.keyIds.map((k) => `  signer ${k}`).join('\n') : '  none (unsigned)');
  lines.push(`  root digest ${loaded.rootDigest}`);
  lines.push(`  digests     verified (every section)`);
  lines.push(
    `  trust       ${
      !options.rootsFile
        ? 'not checked (pass --trusted-roots <file> to verify the signer)'
        : verification.verified
          ? `verified: ${verification.keyIds.join(', ')} trusted for fayger.snapshot`
          : `NOT verified: ${verification.error}`
    }`,
  );
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
