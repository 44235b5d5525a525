import { checkManifest, type Manifest } from '@fayger/contracts';
import { loaderError } from '../errors.js';
import { canonicalJson } from './canonical-json.js';
import { MAX_MANIFEST_LENGTH } from './constants.js';

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function encodeManifest(manifest: Manifest): Uint8Array {
  const problems = checkManifest(manifest);
  if (problems.length) {
    throw loaderError('LOADER_BUILD_INVALID', 'build', {
      what: 'encoding the manifest',
      expected: 'a manifest matching ManifestSchema',
      found: problems.join('; '),
      details: { problems },
    });
  }
  const out = enc.encode(canonicalJson(manifest));
  if (out.length > MAX_MANIFEST_LENGTH) {
    throw loaderError('LOADER_BUILD_INVALID', 'build', {
      what: 'encoding the manifest',
      expected: `at most ${MAX_MANIFEST_LENGTH} bytes of canonical JSON (the loader cap, docs/spec/buf-v1.md §11)`,
      found: `${out.length} bytes`,
    });
  }
  return out;
}

/**
 * Decodes manifest bytes: strict UTF-8, JSON, then the canonical re-encoding must reproduce the bytes
 * exactly (one value ⇔ one byte string: no whitespace, key order, duplicate keys or escapes to vary).
 */
export function decodeManifest(bytes: Uint8Array): Manifest {
  const bad = (expected: string, found: string, cause?: unknown): never => {
    throw loaderError('LOADER_MANIFEST_INVALID', 'parse', { what: 'parsing the manifest', expected, found, cause });
  };
  let text = '';
  try {
    text = dec.decode(bytes);
  } catch (e) {
    bad('UTF-8 text', 'invalid UTF-8', e);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    bad('JSON', (e as Error).message);
  }
  let canonical = '';
  try {
    canonical = canonicalJson(value);
  } catch (e) {
    bad('canonical JSON', (e as Error).message);
  }
  if (canonical !== text) {
    let at = 0;
    while (at < text.length && text[at] === canonical[at]) at++;
    bad(
      'canonical JSON (sorted keys, no whitespace, no duplicate keys, minimal escapes)',
      `a difference at character ${at}`,
    );
  }
  const problems = checkManifest(value);
  if (problems.length) bad('a manifest matching the v1 schema', problems.join('; '));
  return value as Manifest;
}
