'use strict';
/**
 * The SIMD npm proof, run as a plain Node process (after `pnpm build`): installs the facade (dist) as the only
 * `WebAssembly`, loads the unmodified `playwright-core` bundle, whose `utils.encodeWebp` / `utils.decodeWebp`
 * run libwebp from `lib/webp_codec.wasm` (565 KB, Emscripten, -msimd128), and prints one JSON line.
 */
const { createHash } = require('node:crypto');
const { join } = require('node:path');

const { WebAssembly: facade } = require(join(__dirname, '../../dist/webassembly.cjs'));
let modules = 0;
globalThis.WebAssembly = Object.assign(Object.create(null), facade, {
  Module: class extends facade.Module {
    constructor(b) {
      super(b);
      modules++;
    }
  },
});
const { utils } = require('playwright-core/lib/coreBundle');
const w = 96;
const h = 64;
const data = Buffer.alloc(w * h * 4);
for (let y = 0; y < h; y++) {
  for (let x = 0; x < w; x++) {
    const i = 4 * (y * w + x);
    data[i] = x * 2;
    data[i + 1] = y * 3;
    data[i + 2] = (x ^ y) & 255;
    data[i + 3] = 255;
  }
}
const sha = (b) => createHash('sha256').update(b).digest('hex').slice(0, 16);
const c0 = process.cpuUsage();
const lossy = utils.encodeWebp({ data, width: w, height: h }, { quality: 80 });
const lossless = utils.encodeWebp({ data, width: w, height: h }, { lossless: true });
const back = utils.decodeWebp(lossless);
const c = process.cpuUsage(c0);
console.log(
  JSON.stringify({
    modules,
    lossy: [lossy.length, sha(lossy)],
    lossless: [lossless.length, sha(lossless)],
    roundTrip: back.width === w && back.height === h && Buffer.compare(back.data, data) === 0,
    cpuMs: Math.round((c.user + c.system) / 1000),
  }),
);
