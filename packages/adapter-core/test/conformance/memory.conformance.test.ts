import { adapterConformance } from '@fayger/adapter-core/conformance';
import { createMemoryAdapter } from '../../src/index.js';

adapterConformance('memory', {
  create: () => createMemoryAdapter({ env: { FAYGER_CONFORMANCE: 'yes' }, ui: true }),
  flags: { fs: true, kv: true, ui: true, env: { name: 'FAYGER_CONFORMANCE', value: 'yes' } },
});
