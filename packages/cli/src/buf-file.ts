import {
  FaygerError,
  RUNTIME_INTERFACE_VERSION,
  parseSemVerRange,
  satisfies,
  type BufSource,
  type LoadTrust,
  type LoadedBuf,
} from '@fayger/contracts';
import { MemorySource, hasUrlScheme, loadBuf, serializeBuf } from '@fayger/loader';
import { openSource } from '@fayger/loader/node';
import { resolve } from 'node:path';
import { detectDigestProvider } from '@fayger/security';
import { bytesEqual } from './bytes.js';

/**
 * The authoring commands judge signatures and integrity, not whether this runtime could run the artifact,
 * so Runtime_Interface negotiation is satisfied with a version from the manifest's own range.
 */
export function versionSatisfying(range: string): string | undefined {
  const parsed = parseSemVerRange(range) as
    | { sets: ReadonlyArray<ReadonlyArray<{ op: string; v: { major: number; minor: number; patch: number } }>> }
    | undefined;
  if (!parsed) return undefined;
  const candidates = new Set<string>([RUNTIME_INTERFACE_VERSION, '0.0.0']);
  for (const set of parsed.sets) {
    for (const c of set) {
      const { major, minor, patch } = c.v;
      candidates.add(`${major}.${minor}.${patch}`);
      candidates.add(`${major}.${minor}.${patch + 1}`);
    }
  }
  return [...candidates].find((v) => satisfies(v, parsed as never));
}

export interface OpenedBuf {
  loaded: LoadedBuf;
  bytes: Uint8Array;
}

/** A BuF reference on the command line: a path (relative to cwd) or a URL openSource reads (http(s):, s3:, ipfs:, file:). */
export function refOf(cwd: string, arg: string): { ref: string; remote: boolean } {
  return hasUrlScheme(arg) ? { ref: arg, remote: !/^file:/i.test(arg) } : { ref: resolve(cwd, arg), remote: false };
}

/**
 * Opens a reference through the loader's one resolver (files, http(s):, s3:, ipfs:; S3 and IPFS settings from
 * the AWS_* variables / profile and FAYGER_IPFS_GATEWAY). Close what it returns when done.
 */
export async function openRef(ref: string): Promise<BufSource & { close?(): Promise<void> }> {
  return openSource(ref);
}

/** Loads an artifact (in memory, or lazily from a source) with the given trust; profile and interface version never reject it. */
export async function openBuf(
  input: Uint8Array | BufSource,
  label: string,
  trust: LoadTrust,
  now?: Date,
): Promise<LoadedBuf> {
  const source = () => (input instanceof Uint8Array ? new MemorySource(input, label) : input);
  const base = {
    trust,
    digest: detectDigestProvider(),
    profile: { host: 'cli' },
    strategy: 'lazy' as const,
    ...(now ? { now } : {}),
  };
  try {
    return await loadBuf(source(), { ...base, supportedInterfaceVersions: [RUNTIME_INTERFACE_VERSION] });
  } catch (err) {
    if (!FaygerError.is(err, 'LOADER_INTERFACE_UNSUPPORTED')) throw err;
    const v = versionSatisfying(String(err.details.requested));
    if (!v) throw err;
    return loadBuf(source(), { ...base, supportedInterfaceVersions: [v] });
  }
}

/**
 * Reads and verifies every section body (selected or not) by re-serialising, and checks the result is the
 * input byte for byte. Returns the verified bytes.
 */
export async function verifyAllSections(loaded: LoadedBuf, original: Uint8Array): Promise<Uint8Array> {
  const out = await serializeBuf(loaded);
  if (!bytesEqual(out, original)) {
    throw new FaygerError({
      code: 'INTERNAL',
      phase: 'verify',
      what: 're-serialising the verified artifact',
      expected: 'the input bytes',
      found: 'different bytes',
    });
  }
  return out;
}
