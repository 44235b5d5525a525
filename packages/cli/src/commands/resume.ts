import { resolve } from 'node:path';
import type { CliIo } from '../io.js';
import { run } from './run.js';
import { resumeHelp } from './resume-help.js';

export { resumeHelp };

/**
 * `fayger resume <snapshot> <app.buf> [run options]`: `fayger run` of the BuF, continuing the snapshot instead of
 * starting the entry (fayger.startResume: the snapshot is verified with the same trusted roots, capabilities are
 * negotiated again from the flags, the guest continues on the engine --engine names, else the one the router picks). Exit codes as `fayger run`.
 */
export async function resume(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return (io.stdout(resumeHelp), 0);
  const first = args[0];
  if (first === undefined || first.startsWith('-') || first === '--') {
    io.stderr(
      'fayger resume: error CLI_USAGE (phase resume): expected the snapshot file first, then the original BuF: fayger resume <snapshot> <app.buf> [run options]\n',
    );
    return 111;
  }
  return run(args.slice(1), io, { snapshotFile: resolve(io.cwd, first) });
}
