/**
 * Fresh-process decode + validate of one module, wall and CPU time (CPU time is steadier on a loaded machine):
 *   node bench/decode-validate.mjs [<module exporting decode and validate>] [<file.wasm>]
 * Defaults: ../wasm/dist/index.js (@fayger/wasm, after `pnpm build`) and bench-results/binaryen.wasm (captured by
 * `pnpm bench`). Point the first argument at an older build's entry to compare builds side by side.
 * Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [mod = join(here, '../../wasm/dist/index.js'), big = join(here, '../bench-results/binaryen.wasm')] =
  process.argv.slice(2);
const api = await import(pathToFileURL(mod).href);
const bytes = new Uint8Array(readFileSync(big));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const t0 = performance.now();
const c0 = cpu();
const ir = api.decode(bytes);
const t1 = performance.now();
api.validate(ir);
const t2 = performance.now();
const c2 = cpu();
const r = (x) => Math.round(x);
process.stdout.write(
  `${JSON.stringify({ bytes: bytes.length, decodeMs: r(t1 - t0), validateMs: r(t2 - t1), cpuMs: r(c2 - c0), wallMBps: +(bytes.length / 1e3 / (t2 - t0)).toFixed(1), cpuMBps: +(bytes.length / 1e3 / (c2 - c0)).toFixed(1) })}\n`,
);
