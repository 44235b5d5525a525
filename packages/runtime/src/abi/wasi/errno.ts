/** WASI preview1 errno values (wasi_snapshot_preview1.witx, `errno`). */
export const ERRNO = {
  SUCCESS: 0,
  E2BIG: 1,
  EACCES: 2,
  EADDRINUSE: 3,
  EADDRNOTAVAIL: 4,
  EAFNOSUPPORT: 5,
  EAGAIN: 6,
  EALREADY: 7,
  EBADF: 8,
  EBADMSG: 9,
  EBUSY: 10,
  ECANCELED: 11,
  ECHILD: 12,
  ECONNABORTED: 13,
  ECONNREFUSED: 14,
  ECONNRESET: 15,
  EDEADLK: 16,
  EDESTADDRREQ: 17,
  EDOM: 18,
  EDQUOT: 19,
  EEXIST: 20,
  EFAULT: 21,
  EFBIG: 22,
  EHOSTUNREACH: 23,
  EIDRM: 24,
  EILSEQ: 25,
  EINPROGRESS: 26,
  EINTR: 27,
  EINVAL: 28,
  EIO: 29,
  EISCONN: 30,
  EISDIR: 31,
  ELOOP: 32,
  EMFILE: 33,
  EMLINK: 34,
  EMSGSIZE: 35,
  EMULTIHOP: 36,
  ENAMETOOLONG: 37,
  ENETDOWN: 38,
  ENETRESET: 39,
  ENETUNREACH: 40,
  ENFILE: 41,
  ENOBUFS: 42,
  ENODEV: 43,
  ENOENT: 44,
  ENOEXEC: 45,
  ENOLCK: 46,
  ENOLINK: 47,
  ENOMEM: 48,
  ENOMSG: 49,
  ENOPROTOOPT: 50,
  ENOSPC: 51,
  ENOSYS: 52,
  ENOTCONN: 53,
  ENOTDIR: 54,
  ENOTEMPTY: 55,
  ENOTRECOVERABLE: 56,
  ENOTSOCK: 57,
  ENOTSUP: 58,
  ENOTTY: 59,
  ENXIO: 60,
  EOVERFLOW: 61,
  EOWNERDEAD: 62,
  EPERM: 63,
  EPIPE: 64,
  EPROTO: 65,
  EPROTONOSUPPORT: 66,
  EPROTOTYPE: 67,
  ERANGE: 68,
  EROFS: 69,
  ESPIPE: 70,
  ESRCH: 71,
  ESTALE: 72,
  ETIMEDOUT: 73,
  ETXTBSY: 74,
  EXDEV: 75,
  ENOTCAPABLE: 76,
} as const;

/** Host (POSIX / Node) errno names that are spelled differently from their WASI counterpart. */
const HOST_ALIASES: Readonly<Record<string, number>> = { EWOULDBLOCK: ERRNO.EAGAIN, EOPNOTSUPP: ERRNO.ENOTSUP };

/** The WASI errno for a host errno name such as "ELOOP" (as adapters put it in `details.errno`), if any. */
export function errnoForHostName(name: unknown): number | undefined {
  if (typeof name !== 'string' || !/^E[A-Z0-9]+$/.test(name)) return undefined;
  if (Object.prototype.hasOwnProperty.call(ERRNO, name)) return ERRNO[name as keyof typeof ERRNO];
  return HOST_ALIASES[name];
}

/**
 * Maps a FaygerError (its code, and the host errno an adapter recorded in `details.errno`) to a WASI errno
 * (docs/abi.md). A host errno the adapter reported wins, so every host failure keeps its own errno.
 */
export function errnoFor(code: string, details?: Readonly<Record<string, unknown>>): number {
  const host = errnoForHostName(details?.errno);
  if (host !== undefined && host !== ERRNO.SUCCESS) return host;
  switch (code) {
    case 'CAPABILITY_DENIED':
    case 'CAPABILITY_REQUIRED_MISSING':
      return ERRNO.EACCES;
    case 'CAPABILITY_SCOPE_DENIED':
    case 'WASI_PATH_OUTSIDE_ROOT':
      return ERRNO.ENOTCAPABLE;
    case 'ADAPTER_PATH_NOT_FOUND':
      return ERRNO.ENOENT;
    case 'ADAPTER_PATH_EXISTS':
      return ERRNO.EEXIST;
    case 'ADAPTER_PATH_NOT_DIRECTORY':
      return ERRNO.ENOTDIR;
    case 'ADAPTER_PATH_IS_DIRECTORY':
      return ERRNO.EISDIR;
    case 'ADAPTER_DIRECTORY_NOT_EMPTY':
      return ERRNO.ENOTEMPTY;
    case 'INSTRUCTION_INVALID':
    case 'INSTRUCTION_UNKNOWN_OP':
    case 'ADAPTER_PATH_INVALID':
    case 'RUNTIME_GUEST_ABI_VIOLATION':
      return ERRNO.EINVAL;
    case 'CAPABILITY_QUOTA_EXCEEDED':
    case 'QUOTA_HOST_CALL_RATE_EXCEEDED':
      return ERRNO.EDQUOT;
    case 'ADAPTER_UNSUPPORTED_OP':
      return ERRNO.ENOSYS;
    case 'WASI_BAD_DESCRIPTOR':
      return ERRNO.EBADF;
    default:
      return ERRNO.EIO;
  }
}
