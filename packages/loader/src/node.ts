// Node-only entry (@fayger/loader/node): sources that need node: modules. Browser bundles import
// '@fayger/loader' only, which has no node: import.
export { FileSource } from './node/file-source.js';
