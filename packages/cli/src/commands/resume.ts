import { resolve } from 'node:path';
import { FaygerError, type LoadTrust } from '@fayger/contracts';
import { loadSnapshot } from '@fayger/loader';
import { createTrustVerifier, detectDigestProvider } from '@fayger/security';
import { parse, usage } from '../args.js';
import { readFileWithProgress, readText, type CliIo } from '../io.js';
import { runExitCodeFor } from '../exit-codes.js';
import { parseSnapshotOptions } from '../snapshot-options.js';
import { resumeHelp } from './resume-help.js';

export { resumeHelp };

/**
 * `fayger resume <snapshot> <app.buf>`: parses the run flags, loads and verifies the snapshot (digests, host-key
 * signature against --trusted-roots). Continuing the guest needs the runtime's resume entry point (issue #18),
 * which this build does not have yet: after verification the command stops with CLI_NOT_AVAILABLE.
 */
export async function resume(args: string[], io: CliIo): Promise<number> {
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const { values, positionals } = parse('resume', own, {
    'trusted-roots': { type: 'string' },
    'allow-unsigned': { type: 'boolean' },
    'allow-rollback': { type: 'boolean' },
    host: { type: 'string' },
    grant: { type: 'string', multiple: true },
    deny: { type: 'string', multiple: true },
    dir: { type: 'string', multiple: true },
    env: { type: 'string', multiple: true },
    quota: { type: 'string', multiple: true },
    events: { type: 'string' },
    log: { type: 'string' },
    explain: { type: 'boolean' },
    engine: { type: 'string' },
    'state-dir': { type: 'string' },
    'no-version-store': { type: 'boolean' },
    json: { type: 'boolean' },
    snapshot: { type: 'string' },
    'snapshot-on-exit-after': { type: 'string' },
    'snapshot-key': { type: 'string' },
  });
  if (values.help) return (io.stdout(resumeHelp), 0);
  try {
    if (positionals.length !== 2)
      throw usage(
        'resume',
        positionals.length ? `${positionals.length} argument(s) (${positionals.join(' ')})` : 'no snapshot',
        'a snapshot file and the original BuF (path or URL)',
      );
    const engine = (values.engine as string | undefined) ?? 'interpreter';
    if (engine !== 'interpreter' && engine !== 'auto')
      throw usage('resume', `--engine ${engine}`, 'interpreter (the only engine that restores snapshots)');
    parseSnapshotOptions('resume', io.cwd, values, 'interpreter');
    const rootsFile = values['trusted-roots'] as string | undefined;
    const allowUnsigned = values['allow-unsigned'] === true;
    if (!rootsFile && !allowUnsigned)
      throw usage('resume', 'no --trusted-roots', '--trusted-roots <file> (or --allow-unsigned for development)');
    const trust: LoadTrust = rootsFile
      ? createTrustVerifier({
          roots: await readText(resolve(io.cwd, rootsFile)),
          policy: allowUnsigned ? { allowUnsigned: true } : {},
        })
      : { allowUnsigned: true };
    const file = resolve(io.cwd, positionals[0]!);
    const bytes = await readFileWithProgress(io, file);
    const snapshot = await loadSnapshot(bytes, { digest: detectDigestProvider(), trust });
    throw new FaygerError({
      code: 'CLI_NOT_AVAILABLE',
      phase: 'resume',
      what: `fayger resume ${positionals[0]}`,
      expected: 'a runtime that can resume a snapshot',
      found: `a verified snapshot of ${snapshot.app.id} ${snapshot.app.version}, but this build has no runtime resume entry point yet`,
      hint: 'Snapshot resume lands with the runtime resume API (issue #18); `fayger inspect` shows the snapshot meanwhile.',
    });
  } catch (err) {
    const e = FaygerError.is(err)
      ? err
      : new FaygerError({ code: 'INTERNAL', phase: 'resume', what: 'fayger resume', found: String(err), cause: err });
    io.stderr(`fayger resume: error ${e.code} (phase ${e.phase}): ${e.message}\n`);
    if (values.json) io.stdout(`${JSON.stringify({ ok: false, error: e.toJSON() })}\n`);
    return runExitCodeFor(e);
  }
}
