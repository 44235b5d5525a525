// The polyfill modules ship no types for these entry points; only their constructors are used.
declare module 'core-js-pure/actual/url/index.js' {
  const URL: unknown;
  export default URL;
}
declare module 'core-js-pure/actual/url-search-params/index.js' {
  const URLSearchParams: unknown;
  export default URLSearchParams;
}
declare module 'abort-controller/dist/abort-controller.mjs' {
  export const AbortController: unknown;
  export const AbortSignal: unknown;
}
declare module 'text-encoding-utf-8' {
  export const TextEncoder: unknown;
  export const TextDecoder: unknown;
}
