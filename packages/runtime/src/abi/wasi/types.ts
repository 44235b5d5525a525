import type { CapabilityGrant } from '@fayger/contracts';
import type { HostGate, Maybe } from '../gate.js';

/** `filetype` values. */
export const FILETYPE = {
  UNKNOWN: 0,
  BLOCK_DEVICE: 1,
  CHARACTER_DEVICE: 2,
  DIRECTORY: 3,
  REGULAR_FILE: 4,
  SOCKET_DGRAM: 5,
  SOCKET_STREAM: 6,
  SYMBOLIC_LINK: 7,
} as const;
/** fs.stat / fs.list types → `filetype`. */
export const FILETYPE_OF: Readonly<Record<string, number>> = { file: 4, directory: 3, symlink: 7, other: 0 };
/** `oflags`. */
export const OFLAGS = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
/** `fdflags`. */
export const FDFLAGS = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
/** `lookupflags`. */
export const LOOKUP_SYMLINK_FOLLOW = 1;
/** `fstflags`. */
export const FSTFLAGS = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;

/** `rights` bits (wasi_snapshot_preview1.witx order). */
export const RIGHTS = {
  FD_DATASYNC: 1n << 0n,
  FD_READ: 1n << 1n,
  FD_SEEK: 1n << 2n,
  FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n,
  FD_TELL: 1n << 5n,
  FD_WRITE: 1n << 6n,
  FD_ADVISE: 1n << 7n,
  FD_ALLOCATE: 1n << 8n,
  PATH_CREATE_DIRECTORY: 1n << 9n,
  PATH_CREATE_FILE: 1n << 10n,
  PATH_LINK_SOURCE: 1n << 11n,
  PATH_LINK_TARGET: 1n << 12n,
  PATH_OPEN: 1n << 13n,
  FD_READDIR: 1n << 14n,
  PATH_READLINK: 1n << 15n,
  PATH_RENAME_SOURCE: 1n << 16n,
  PATH_RENAME_TARGET: 1n << 17n,
  PATH_FILESTAT_GET: 1n << 18n,
  PATH_FILESTAT_SET_SIZE: 1n << 19n,
  PATH_FILESTAT_SET_TIMES: 1n << 20n,
  FD_FILESTAT_GET: 1n << 21n,
  FD_FILESTAT_SET_SIZE: 1n << 22n,
  FD_FILESTAT_SET_TIMES: 1n << 23n,
  PATH_SYMLINK: 1n << 24n,
  PATH_REMOVE_DIRECTORY: 1n << 25n,
  PATH_UNLINK_FILE: 1n << 26n,
  POLL_FD_READWRITE: 1n << 27n,
  SOCK_SHUTDOWN: 1n << 28n,
  SOCK_ACCEPT: 1n << 29n,
} as const;
export const ALL_RIGHTS = (1n << 30n) - 1n;

/** Rights of a preopened directory (the set userlands expect, as wasmtime reports it). */
export const PREOPEN_RIGHTS_BASE =
  RIGHTS.PATH_CREATE_DIRECTORY |
  RIGHTS.PATH_CREATE_FILE |
  RIGHTS.PATH_LINK_SOURCE |
  RIGHTS.PATH_LINK_TARGET |
  RIGHTS.PATH_OPEN |
  RIGHTS.FD_READDIR |
  RIGHTS.PATH_READLINK |
  RIGHTS.PATH_RENAME_SOURCE |
  RIGHTS.PATH_RENAME_TARGET |
  RIGHTS.PATH_SYMLINK |
  RIGHTS.PATH_REMOVE_DIRECTORY |
  RIGHTS.PATH_UNLINK_FILE |
  RIGHTS.PATH_FILESTAT_GET |
  RIGHTS.PATH_FILESTAT_SET_TIMES |
  RIGHTS.FD_FILESTAT_GET |
  RIGHTS.FD_FILESTAT_SET_TIMES;
export const PREOPEN_RIGHTS_INHERITING =
  PREOPEN_RIGHTS_BASE |
  RIGHTS.FD_DATASYNC |
  RIGHTS.FD_READ |
  RIGHTS.FD_SEEK |
  RIGHTS.FD_FDSTAT_SET_FLAGS |
  RIGHTS.FD_SYNC |
  RIGHTS.FD_TELL |
  RIGHTS.FD_WRITE |
  RIGHTS.FD_ADVISE |
  RIGHTS.FD_ALLOCATE |
  RIGHTS.FD_FILESTAT_GET |
  RIGHTS.FD_FILESTAT_SET_SIZE |
  RIGHTS.FD_FILESTAT_SET_TIMES |
  RIGHTS.POLL_FD_READWRITE;

/**
 * Bounds checked before any allocation a guest can size (issue 9): a read or write moves at most these many
 * bytes per call (a short read/write, which every caller must handle), over at most IOV_SCAN iovecs.
 */
export const LIMITS = {
  /** stdio.write / stdio.read payload per call (the op schema's maximum). */
  STDIO_BYTES: 1024 * 1024,
  /** fs.read / fs.write payload per call. */
  FILE_BYTES: 16 * 1024 * 1024,
  /** iovecs looked at per call (wasi-libc's IOV_MAX is 1024). */
  IOV_SCAN: 1024,
  /** poll_oneoff subscriptions per call. */
  SUBSCRIPTIONS: 4096,
  /** A path argument (PATH_MAX). */
  PATH_BYTES: 4096,
  /** args or environ, all strings with their terminators. */
  STRINGS_BYTES: 1024 * 1024,
  /** random.bytes per instruction. */
  RANDOM_CHUNK: 65536,
} as const;

export type FdEntry =
  | { kind: 'stdio'; stream: 'stdin' | 'stdout' | 'stderr'; rightsBase: bigint; rightsInheriting: bigint }
  | {
      kind: 'dir';
      path: string;
      root: string;
      preopen: string | undefined;
      rightsBase: bigint;
      rightsInheriting: bigint;
      /** The listing fd_readdir read at cookie 0: later cookies index into it, so removing entries while
       * iterating (as remove_dir_all does) never skips any. */
      listing?: DirListing;
    }
  | {
      kind: 'file';
      /** REGULAR_FILE, or UNKNOWN for other non-directory types the host let us open. */
      filetype: number;
      path: string;
      root: string;
      pos: number;
      append: boolean;
      nonblock: boolean;
      read: boolean;
      write: boolean;
      rightsBase: bigint;
      rightsInheriting: bigint;
    };

/** What the WASI module needs from its instance. */
export interface WasiHost {
  readonly gate: HostGate;
  readonly argv: readonly string[];
  /** The environment as instance configuration, or undefined to ask the bus (env.list). */
  readonly env: Readonly<Record<string, string>> | undefined;
  readonly grants: ReadonlyMap<string, CapabilityGrant>;
  readonly canSuspend: boolean;
  exit(code: number): Maybe<never>;
  countLocal(): void;
  /** Reports a denial decided by the runtime itself (path outside a root, write without fs.write). */
  reportDenied(op: string, capability: string, code: string): void;
}

/** fs.stat's answer (the optional fields come from hosts that have them). */
export interface StatValue {
  type: string;
  size: number;
  mtimeMs: number;
  dev?: string;
  ino?: string;
  nlink?: number;
  atimeNs?: string;
  mtimeNs?: string;
  ctimeNs?: string;
}

/** fs.list's answer. */
export interface DirListing {
  entries: { name: string; type: string; ino?: string }[];
  ino?: string;
}
