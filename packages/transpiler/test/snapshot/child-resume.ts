import { readFileSync } from 'node:fs';
import { type GuestSpec, guestFromSpec } from './guests.js';
import { resume } from './harness.js';

// A fresh process: `node child-resume.mjs '<guest spec JSON>' <snapshot file>` restores the snapshot into a new
// compilation and instance of the guest on the transpiler, runs it to its end and prints the outcome as JSON
// (bundled by determinism.test.ts with tsup from the sources under test).
const [spec, file] = process.argv.slice(2);
const guest = await guestFromSpec(JSON.parse(spec!) as GuestSpec);
const result = await resume(guest, new Uint8Array(readFileSync(file!)));
process.stdout.write(JSON.stringify(result));
