import { it } from 'vitest';
import { CHROMIUM_MISSING_MESSAGE } from './chromium.js';

// Loaded instead of the browser suites when Chromium is absent: one skipped test whose name is the reason.
console.warn(CHROMIUM_MISSING_MESSAGE);
it.skip(CHROMIUM_MISSING_MESSAGE, () => {});
