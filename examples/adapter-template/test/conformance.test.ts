import { adapterConformance } from '@fayger/adapter-core/conformance';
import { createKioskAdapter } from '../src/index.js';

// The whole conformance test of a third-party adapter: the same suite the first-party adapters run.
adapterConformance('kiosk', {
  create: () => createKioskAdapter({ log: { output: false }, printer: { print: () => true } }),
  flags: { kv: true },
});
