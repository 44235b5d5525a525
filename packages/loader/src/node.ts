// Node-only entry (@fayger/loader/node): sources that need node: modules. Browser bundles import
// '@fayger/loader' only, which has no node: import.
export { FileSource } from './node/file-source.js';
export { openSource } from './node/open-source.js';
export type { NodeOpenSourceOptions } from './node/open-source.js';
export { nodeS3Options, s3OptionsFromProfile } from './node/aws-profile.js';
