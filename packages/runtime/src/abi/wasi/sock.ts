import type { HostFunction } from '@fayger/contracts';
import { u32 } from '../memory.js';
import type { WasiContext } from './context.js';
import { ERRNO } from './errno.js';

/**
 * sock_*: preview1 guests can only inherit sockets, and no host hands one over, so no descriptor is ever a
 * socket: a descriptor that exists is ENOTSOCK, any other EBADF (as wasmtime).
 */
export function sockFunctions(cx: WasiContext): Record<string, HostFunction> {
  const notSock = (fd: unknown): number => cx.local(cx.fds.has(u32(fd)) ? ERRNO.ENOTSOCK : ERRNO.EBADF);
  return {
    sock_accept: ([fd]) => notSock(fd),
    sock_recv: ([fd]) => notSock(fd),
    sock_send: ([fd]) => notSock(fd),
    sock_shutdown: ([fd]) => notSock(fd),
  };
}
