import { readFileSync } from 'node:fs';
import { type GuestSpec, guestFromSpec } from './guests.js';
import { type EngineFactory, resume } from './harness.js';

/**
 * The body of each engine's test/snapshot/child-resume.ts, a fresh process:
 * `node child-resume.mjs '<guest spec JSON>' <snapshot file>` restores the snapshot into a new compilation and
 * instance of the guest on `engine`, runs it to its end and prints the outcome as JSON (bundled by the
 * determinism suite with tsup from the sources under test).
 */
export async function runChildResume(engine: EngineFactory, argv: readonly string[] = process.argv.slice(2)) {
  const [spec, file] = argv;
  const guest = await guestFromSpec(JSON.parse(spec!) as GuestSpec);
  const result = await resume(guest, new Uint8Array(readFileSync(file!)), engine());
  process.stdout.write(JSON.stringify(result));
}
