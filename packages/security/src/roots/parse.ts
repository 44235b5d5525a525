import { Compile } from 'typebox/compile';
import { FaygerError } from '@fayger/contracts';
import { bytesToBase64, decodeKeyText } from '../bytes.js';
import { ed25519KeyId } from '../ed25519/key-id.js';
import { checkEd25519PublicKey } from '../ed25519/policy.js';
import { TrustedRootsSchema, type TrustedKeyEntry, type TrustedRootsDocument } from './schema.js';

/** A trusted key after validation: decoded key, parsed dates. */
export interface TrustedKey {
  readonly id: string;
  readonly algorithm: 'ed25519';
  readonly publicKey: Uint8Array;
  readonly publishers: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly revoked: boolean;
}

export interface TrustedRoots {
  readonly keys: ReadonlyMap<string, TrustedKey>;
}

/**
 * What may be given as trusted roots: the parsed form (`parseTrustedRoots`), the document object
 * (`{ version: 1, keys: [...] }`, checked against TrustedRootsSchema at run time too), or its JSON text or bytes.
 */
export type TrustedRootsInput = TrustedRoots | TrustedRootsDocument | string | Uint8Array;

// Compiled on first use, not at import: start-up of commands that never read one stays free of it.
const compile = () => Compile(TrustedRootsSchema);
let compiled: ReturnType<typeof compile> | undefined;
const checker = () => (compiled ??= compile());

function pointerToField(pointer: string): string {
  if (pointer === '') return '(document)';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function invalid(field: string, expected: string, found: string, details: Record<string, unknown> = {}): FaygerError {
  return new FaygerError({
    code: 'SECURITY_ROOTS_INVALID',
    phase: 'roots',
    what: `reading the trusted-roots document (field ${field})`,
    expected,
    found,
    details: { field, ...details },
  });
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseDate(text: string | undefined, field: string): Date | undefined {
  if (text === undefined) return undefined;
  const t = ISO_DATE.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(t)) throw invalid(field, 'an ISO 8601 date-time such as 2026-01-01T00:00:00Z', JSON.stringify(text));
  return new Date(t);
}

/**
 * Validates a trusted-roots document (JSON text, bytes or an already parsed value). Every problem is a
 * SECURITY_ROOTS_INVALID error whose `details.field` names the offending field (e.g. `keys[2].publicKey`).
 */
export function parseTrustedRoots(input: unknown): TrustedRoots {
  let doc: unknown = input;
  if (input instanceof Uint8Array) doc = new TextDecoder('utf-8', { fatal: false }).decode(input);
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch (err) {
      throw invalid('(document)', 'JSON text', `unparsable JSON (${(err as Error).message})`);
    }
  }
  const check = checker();
  if (!check.Check(doc)) {
    const errors = [...check.Errors(doc)];
    // Prefer the most specific complaint (deepest path) over "additionalProperties false" echoes.
    const first = errors.find((e) => e.keyword !== 'boolean') ?? errors[0];
    const field = pointerToField(first?.instancePath ?? '');
    throw invalid(
      field,
      first?.message ?? 'a valid trusted-roots document',
      describeAt(doc, first?.instancePath ?? ''),
      {
        errors: errors
          .slice(0, 10)
          .map((e) => ({ field: pointerToField(e.instancePath), message: e.message, params: e.params })),
      },
    );
  }
  const keys = new Map<string, TrustedKey>();
  (doc as TrustedRootsDocument).keys.forEach((entry, i) => {
    const key = parseEntry(entry, i);
    if (keys.has(key.id)) throw invalid(`keys[${i}].id`, 'each key listed once', `a second entry for ${key.id}`);
    keys.set(key.id, key);
  });
  return { keys };
}

function describeAt(doc: unknown, pointer: string): string {
  let v: unknown = doc;
  for (const part of pointer.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[part];
  if (v === undefined) return 'nothing (missing)';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function parseEntry(entry: TrustedKeyEntry, i: number): TrustedKey {
  const at = `keys[${i}]`;
  const publicKey = decodeKeyText(entry.publicKey, 32);
  if (!publicKey)
    throw invalid(
      `${at}.publicKey`,
      'a 32-byte Ed25519 public key as hex (64 chars) or base64',
      JSON.stringify(entry.publicKey),
    );
  const bad = checkEd25519PublicKey(publicKey);
  if (bad) throw invalid(`${at}.publicKey`, 'a valid Ed25519 public key under the strict policy', bad);
  const id = ed25519KeyId(publicKey);
  if (entry.id !== id) {
    throw invalid(`${at}.id`, `the id derived from the public key, ${id}`, JSON.stringify(entry.id), { derivedId: id });
  }
  const notBefore = parseDate(entry.notBefore, `${at}.notBefore`);
  const notAfter = parseDate(entry.notAfter, `${at}.notAfter`);
  if (notBefore && notAfter && notBefore.getTime() > notAfter.getTime()) {
    throw invalid(`${at}.notAfter`, `a date after notBefore (${entry.notBefore})`, JSON.stringify(entry.notAfter));
  }
  return {
    id,
    algorithm: 'ed25519',
    publicKey,
    publishers: [...entry.publishers],
    ...(notBefore ? { notBefore } : {}),
    ...(notAfter ? { notAfter } : {}),
    revoked: entry.revoked === true,
  };
}

export interface TrustedRootEntryOptions {
  publishers: string[];
  notBefore?: Date | string;
  notAfter?: Date | string;
  comment?: string;
}

/** The roots-document entry for a public key (what `fayger keygen` prints). */
export function trustedRootEntry(publicKey: Uint8Array, options: TrustedRootEntryOptions): TrustedKeyEntry {
  const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());
  const entry: TrustedKeyEntry = {
    id: ed25519KeyId(publicKey),
    algorithm: 'ed25519',
    publicKey: bytesToBase64(publicKey),
    publishers: [...options.publishers],
  };
  if (options.notBefore !== undefined) entry.notBefore = iso(options.notBefore);
  if (options.notAfter !== undefined) entry.notAfter = iso(options.notAfter);
  if (options.comment !== undefined) entry.comment = options.comment;
  // Round-trip through the parser so a bad scope or date fails here, not at verification time.
  parseTrustedRoots({ version: 1, keys: [entry] });
  return entry;
}

/** True when `publisher` is covered by one of the scopes (exact, or prefix + trailing `*`). */
export function publisherInScope(publisher: string, scopes: readonly string[]): boolean {
  return scopes.some((scope) => (scope.endsWith('*') ? publisher.startsWith(scope.slice(0, -1)) : publisher === scope));
}

/**
 * True when the artifact id lies inside one of the key's scopes: under a prefix scope (`com.a.*`) the id starts
 * with the prefix (`com.a.app`); under an exact scope (`com.a`) the id is that name or a dotted name below it
 * (`com.a`, `com.a.app`). So a key for `com.a.*` cannot sign `com.b.app`, and `*` covers every id.
 */
export function artifactIdInScope(artifactId: string, scopes: readonly string[]): boolean {
  return scopes.some((scope) =>
    scope.endsWith('*')
      ? artifactId.startsWith(scope.slice(0, -1))
      : artifactId === scope || artifactId.startsWith(`${scope}.`),
  );
}
