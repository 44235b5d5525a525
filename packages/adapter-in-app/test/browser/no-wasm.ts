// Imported first by every browser test file: in-app hosts (iOS WKWebView with JIT off, many mini-program
// engines) have no WebAssembly, so nothing Fayger loads may find it.
delete (globalThis as { WebAssembly?: unknown }).WebAssembly;
if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'undefined')
  throw new Error('could not remove WebAssembly');
export {};
