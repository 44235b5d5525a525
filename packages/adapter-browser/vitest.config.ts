import { defineBrowserProject } from '@fayger/browser-harness/vitest';

// Every test of this package runs inside Debian's Chromium (vitest browser mode); see tooling/browser-harness.
export default defineBrowserProject({ name: 'adapter-browser', include: ['test/browser/**/*.test.ts'] });
