// Globals the in-app stack needs that bare engines lack, from well-kept packages, installed only where
// missing — what an app adds to its bundle (the packages' READMEs list these requirements):
//  - TextEncoder / TextDecoder (UTF-8, with `fatal: true` decoding): Hermes 0.12 and QuickJS have neither;
//    typebox (inside @fayger/contracts) needs TextEncoder at module evaluation, the loader a fatal UTF-8
//    decoder. `text-encoding-utf-8` is the UTF-8 part of the WHATWG Encoding reference polyfill.
//  - URL / URLSearchParams: typebox resolves the `$ref`s of recursive schemas (the ui tree) with `new URL`;
//    adapter-core parses origins with it. From core-js (core-js-pure: installs nothing by itself).
//  - AbortController / AbortSignal: the bus gives every host call a signal. `abort-controller` is the
//    polyfill React Native itself installs (its dist build: the package's `browser` entry only re-exports the global) (Hermes 0.12 and QuickJS have none).
import PolyURL from 'core-js-pure/actual/url/index.js';
import PolyURLSearchParams from 'core-js-pure/actual/url-search-params/index.js';
import {
  AbortController as PolyAbortController,
  AbortSignal as PolyAbortSignal,
} from 'abort-controller/dist/abort-controller.mjs';
import { TextDecoder as PolyDecoder, TextEncoder as PolyEncoder } from 'text-encoding-utf-8';

const g = globalThis as unknown as Record<string, unknown>;
if (typeof g.TextEncoder !== 'function') g.TextEncoder = PolyEncoder;
if (typeof g.TextDecoder !== 'function') g.TextDecoder = PolyDecoder;
if (typeof g.AbortController !== 'function') {
  g.AbortController = PolyAbortController;
  g.AbortSignal = PolyAbortSignal;
}
if (typeof g.URL !== 'function') {
  g.URL = PolyURL;
  g.URLSearchParams = PolyURLSearchParams;
}
