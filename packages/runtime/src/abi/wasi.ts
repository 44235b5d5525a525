import { FaygerError, type HostFunction } from '@fayger/contracts';
import { WasiContext } from './wasi/context.js';
import { coreFunctions } from './wasi/core.js';
import { fdFunctions } from './wasi/fd.js';
import { pathFunctions } from './wasi/path.js';
import { pollFunctions } from './wasi/poll.js';
import { sockFunctions } from './wasi/sock.js';
import type { WasiHost } from './wasi/types.js';

export { ERRNO, errnoFor } from './wasi/errno.js';
export type { WasiHost } from './wasi/types.js';
export { LIMITS as WASI_LIMITS } from './wasi/types.js';

/** Every function of wasi_snapshot_preview1 (docs/abi.md has each one's host operations and errno values). */
export const WASI_SUBSET = [
  'args_get',
  'args_sizes_get',
  'environ_get',
  'environ_sizes_get',
  'clock_res_get',
  'clock_time_get',
  'fd_advise',
  'fd_allocate',
  'fd_close',
  'fd_datasync',
  'fd_fdstat_get',
  'fd_fdstat_set_flags',
  'fd_fdstat_set_rights',
  'fd_filestat_get',
  'fd_filestat_set_size',
  'fd_filestat_set_times',
  'fd_pread',
  'fd_prestat_get',
  'fd_prestat_dir_name',
  'fd_pwrite',
  'fd_read',
  'fd_readdir',
  'fd_renumber',
  'fd_seek',
  'fd_sync',
  'fd_tell',
  'fd_write',
  'path_create_directory',
  'path_filestat_get',
  'path_filestat_set_times',
  'path_link',
  'path_open',
  'path_readlink',
  'path_remove_directory',
  'path_rename',
  'path_symlink',
  'path_unlink_file',
  'poll_oneoff',
  'proc_exit',
  'proc_raise',
  'sched_yield',
  'random_get',
  'sock_accept',
  'sock_recv',
  'sock_send',
  'sock_shutdown',
] as const;

/** Capabilities a WASI import can use, for the strict link policy: it links when any of them is granted. */
export const WASI_IMPORT_CAPABILITIES: Readonly<Record<string, readonly string[]>> = {
  environ_sizes_get: ['env'],
  environ_get: ['env'],
  clock_time_get: ['clock'],
  random_get: ['random'],
  fd_write: ['stdio', 'fs.write'],
  fd_read: ['stdio', 'fs.read'],
  fd_pwrite: ['fs.write'],
  fd_pread: ['fs.read'],
  path_open: ['fs.read', 'fs.write'],
  fd_seek: ['fs.read', 'fs.write'],
  fd_tell: ['fs.read', 'fs.write'],
  fd_advise: ['fs.read', 'fs.write'],
  fd_allocate: ['fs.write'],
  fd_datasync: ['fs.read'],
  fd_sync: ['fs.read'],
  fd_filestat_get: ['fs.read', 'fs.write', 'stdio'],
  fd_filestat_set_size: ['fs.write'],
  fd_filestat_set_times: ['fs.write'],
  path_filestat_get: ['fs.read', 'fs.write'],
  path_filestat_set_times: ['fs.write'],
  fd_readdir: ['fs.read'],
  path_create_directory: ['fs.write'],
  path_unlink_file: ['fs.write'],
  path_remove_directory: ['fs.write'],
  path_rename: ['fs.write'],
  path_symlink: ['fs.write'],
  path_link: ['fs.write'],
  path_readlink: ['fs.read'],
  poll_oneoff: ['timer', 'stdio', 'fs.read', 'fs.write'],
};

/** Builds the wasi_snapshot_preview1 module for one instance (only the functions the module imports). */
export function createWasiModule(
  host: WasiHost,
  names: readonly string[],
  /** Receives the descriptor table's context (snapshots record and reopen the open descriptors). */
  onContext?: (cx: WasiContext) => void,
): Record<string, HostFunction> {
  const cx = new WasiContext(host);
  onContext?.(cx);
  const all: Record<string, HostFunction> = {
    ...coreFunctions(cx),
    ...fdFunctions(cx),
    ...pathFunctions(cx),
    ...pollFunctions(cx),
    ...sockFunctions(cx),
  };
  const out: Record<string, HostFunction> = {};
  for (const n of names) {
    // A name outside preview1 (a typo, a later snapshot's function) links to ENOSYS unless linking is strict.
    out[n] = Object.prototype.hasOwnProperty.call(all, n) ? all[n]! : () => cx.local(52);
  }
  return out;
}

export function unsupportedWasiImport(name: string): FaygerError {
  return new FaygerError({
    code: 'WASI_UNSUPPORTED_IMPORT',
    phase: 'link',
    what: `linking wasi_snapshot_preview1.${name}`,
    expected: `a function of wasi_snapshot_preview1 (${WASI_SUBSET.length} functions, docs/abi.md)`,
    found: name,
  });
}
