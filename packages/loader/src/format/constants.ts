import type { SectionKind } from '@fayger/contracts';

/** "\x89BuF\r\n\x1a\n": non-ASCII first byte and CR/LF/EOF bytes catch text-mode and 7-bit mangling (as PNG). */
export const MAGIC = Uint8Array.of(0x89, 0x42, 0x75, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);
export const FORMAT_MAJOR = 1;
export const FORMAT_MINOR = 0;
export const HEADER_LENGTH = 64;
/** Headers of later minors may be longer; this cap bounds the read before the length is trusted. */
export const MAX_HEADER_LENGTH = 4096;
/** Critical flags an app BuF reader understands (none in 1.0). */
export const KNOWN_CRITICAL_FLAGS = 0;
/**
 * Critical flag bit 0 marks an instance snapshot (docs/spec/snapshot-v1.md): same container, other contents. Being
 * critical, every BuF 1.0 reader refuses a snapshot as an app; this one says so with LOADER_ARTIFACT_KIND.
 */
export const CRITICAL_FLAG_SNAPSHOT = 1 << 0;
export const DIGEST_SHA256 = 1;
export const DIGEST_LENGTH = 32;
export const MAX_ALIGN_LOG2 = 12;
export const DEFAULT_ALIGN_LOG2 = 3;
/**
 * Loader caps (docs/spec/buf-v1.md §11): each is checked before anything is allocated from the value it bounds,
 * so a hostile header or index costs memory and time in proportion to these caps, never to its own claims.
 * Over a cap → LOADER_LIMIT_EXCEEDED.
 */
export const MAX_MANIFEST_LENGTH = 1024 * 1024;
/** Absolute index cap. The index must also fit `INDEX_BASE_ALLOWANCE + totalLength / INDEX_BODY_RATIO`. */
export const MAX_INDEX_LENGTH = 256 * 1024 * 1024;
/**
 * Index bytes allowed regardless of the artifact size: covers MAX_SECTIONS fixed entries, MAX_INDEX_STRING_BYTES
 * of names and selectors and MAX_INDEX_DEPENDENCIES dependency ids, with room to spare.
 */
export const INDEX_BASE_ALLOWANCE = 48 * 1024 * 1024;
/** Chunk digests grow with the bodies they cover: 32 bytes per 4 KiB chunk at most, i.e. totalLength / 128. */
export const INDEX_BODY_RATIO = 128;
/** Index entries (sections, the signature entry included). */
export const MAX_SECTIONS = 131_072;
/** Names and selector values (hosts, features, locales) over the whole index. */
export const MAX_INDEX_STRINGS = 1_048_576;
/** UTF-8 bytes of those strings over the whole index. */
export const MAX_INDEX_STRING_BYTES = 16 * 1024 * 1024;
/** dependsOn ids over the whole index. */
export const MAX_INDEX_DEPENDENCIES = 1_048_576;
export const MIN_CHUNK_LOG2 = 12;
export const MAX_CHUNK_LOG2 = 30;

export const KIND_CODES: Readonly<Record<SectionKind, number>> = {
  code: 0,
  data: 1,
  assets: 2,
  signature: 3,
  custom: 4,
};
export const KINDS_BY_CODE: readonly SectionKind[] = ['code', 'data', 'assets', 'signature', 'custom'];

/** Section flag bits. Bits 0–7 are critical (unknown → reject); bits 8–15 are informational. */
export const FLAG_REQUIRED = 1 << 0;
export const KNOWN_SECTION_CRITICAL_FLAGS = FLAG_REQUIRED;

export const INDEX_PREFIX_LENGTH = 8;
/** Fixed part of an index entry before the digest. */
export const ENTRY_FIXED_LENGTH = 40;
/** Smallest possible entry: fixed part, digest, name length + 1 byte, four empty list counts. */
export const MIN_ENTRY_LENGTH = ENTRY_FIXED_LENGTH + DIGEST_LENGTH + 2 + 1 + 2 * 4;

export const SIGNATURE_MAGIC = Uint8Array.of(0x42, 0x53, 0x49, 0x47); // "BSIG"
export const SIGNATURE_SECTION_VERSION = 1;
export const SIGNATURE_SECTION_NAME = '$signature';
export const SIG_ALG_ED25519 = 1;
export const ED25519_SIGNATURE_LENGTH = 64;
/** The largest signature section v1 can encode: 65,535 records of a 255-byte key id and an ed25519 signature. */
export const MAX_SIGNATURE_SECTION_LENGTH = 8 + DIGEST_LENGTH + 0xffff * (4 + 255 + ED25519_SIGNATURE_LENGTH);

/** Prefix of the root-digest input: keeps BuF root digests apart from any other SHA-256 use of the same keys. */
export const ROOT_DOMAIN = new TextEncoder().encode('FAYGER-BUF-ROOT-V1\0');
/** Root-digest prefix of snapshots: a signature over a snapshot can never stand for one over an app, or back. */
export const SNAPSHOT_ROOT_DOMAIN = new TextEncoder().encode('FAYGER-SNAPSHOT-ROOT-V1\0');

/** Names, selector values: printable ASCII identifiers, so comparisons and sorting are byte-exact. */
export const IDENT_RE = /^[A-Za-z0-9_@][A-Za-z0-9_.:/@+-]*$/;
/** Key ids (e.g. "ed25519:" + base64url): printable ASCII without spaces. */
export const KEY_ID_RE = /^[\x21-\x7e]+$/;
export const MAX_IDENT_LENGTH = 255;

export const align = (n: number, alignment: number): number => Math.ceil(n / alignment) * alignment;
