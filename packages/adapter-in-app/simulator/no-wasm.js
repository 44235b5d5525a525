// Loaded as the page's first classic script, before any module: the in-app hosts this page stands in for
// have no WebAssembly (iOS with JIT off, many mini-program engines).
delete globalThis.WebAssembly;
