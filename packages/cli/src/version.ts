/** The CLI's version, as `fayger --version` prints it (a test checks it matches package.json). */
export const VERSION = '0.1.0';
