import type { HostFunction } from '@fayger/contracts';
import { utf8Encode } from '../../host-globals.js';
import { andThen, type Maybe } from '../gate.js';
import { MemAccess, u32 } from '../memory.js';
import type { WasiContext } from './context.js';
import { ERRNO } from './errno.js';
import { LIMITS } from './types.js';

/** args_*, environ_*, clock_*, random_get, proc_*, sched_yield. */
export function coreFunctions(cx: WasiContext): Record<string, HostFunction> {
  const { host } = cx;
  const { gate } = host;
  const argvBytes = host.argv.map((a) => utf8Encode(a));
  let envCache: Uint8Array[] | undefined;

  const totalOf = (list: Uint8Array[]): number => list.reduce((n, s) => n + s.byteLength + 1, 0);

  const writeStrings = (mem: MemAccess, list: Uint8Array[], ptrs: number, buf: number): number => {
    if (totalOf(list) > LIMITS.STRINGS_BYTES) return ERRNO.E2BIG;
    let p = buf;
    for (let i = 0; i < list.length; i++) {
      if (!mem.setU32(ptrs + i * 4, p)) return ERRNO.EFAULT;
      const s = list[i]!;
      if (!mem.write(p, s) || !mem.setU8(p + s.byteLength, 0)) return ERRNO.EFAULT;
      p += s.byteLength + 1;
    }
    return ERRNO.SUCCESS;
  };

  const sizes = (mem: MemAccess, list: Uint8Array[], countPtr: number, sizePtr: number): number => {
    const total = totalOf(list);
    // A configuration too large for any guest to hold is refused before the guest allocates for it.
    if (total > LIMITS.STRINGS_BYTES) return ERRNO.E2BIG;
    return mem.setU32(countPtr, list.length) && mem.setU32(sizePtr, total) ? ERRNO.SUCCESS : ERRNO.EFAULT;
  };

  const environ = (): Maybe<Uint8Array[] | number> => {
    if (envCache) return envCache;
    if (host.env) {
      envCache = Object.entries(host.env).map(([k, v]) => utf8Encode(`${k}=${v}`));
      return envCache;
    }
    if (!gate.granted('env')) {
      host.countLocal();
      envCache = [];
      return envCache;
    }
    return andThen(gate.invoke('env.list', {}), (o): Uint8Array[] | number => {
      if (!o.ok) return cx.err(o);
      const vars = (o.value as { variables: Record<string, string> }).variables;
      envCache = Object.entries(vars).map(([k, v]) => utf8Encode(`${k}=${v}`));
      return envCache;
    });
  };

  return {
    args_sizes_get: ([argc, bufSize], ctx) =>
      cx.local(sizes(new MemAccess(ctx.memory), argvBytes, u32(argc), u32(bufSize))),
    args_get: ([argv, buf], ctx) => cx.local(writeStrings(new MemAccess(ctx.memory), argvBytes, u32(argv), u32(buf))),
    environ_sizes_get: ([count, bufSize], ctx) =>
      andThen(environ(), (list) =>
        typeof list === 'number' ? list : sizes(new MemAccess(ctx.memory), list, u32(count), u32(bufSize)),
      ),
    environ_get: ([ptrs, buf], ctx) =>
      andThen(environ(), (list) =>
        typeof list === 'number' ? list : writeStrings(new MemAccess(ctx.memory), list, u32(ptrs), u32(buf)),
      ),

    // Realtime and monotonic as the host has them; the process/thread CPU-time clocks read the monotonic
    // clock (wasmtime refuses them with EBADF; reading elapsed time keeps clock() in C programs working).
    clock_time_get: ([id, _precision, out], ctx) => {
      const c = u32(id);
      if (c > 3) return cx.local(ERRNO.EINVAL);
      return cx.call('clock.now', { clock: c === 0 ? 'realtime' : 'monotonic' }, (v: { timeMs: number }) =>
        new MemAccess(ctx.memory).setU64(u32(out), BigInt(Math.round(v.timeMs * 1e6))) ? ERRNO.SUCCESS : ERRNO.EFAULT,
      );
    },
    clock_res_get: ([id, out], ctx) => {
      host.countLocal();
      if (u32(id) > 3) return ERRNO.EINVAL;
      return new MemAccess(ctx.memory).setU64(u32(out), 1000n) ? ERRNO.SUCCESS : ERRNO.EFAULT;
    },

    random_get: ([buf, len], ctx) => {
      const p = u32(buf);
      const n = u32(len);
      if (!new MemAccess(ctx.memory).inBounds(p, n)) return cx.local(ERRNO.EFAULT);
      // One instruction per 64 KiB (the random.bytes maximum); the length is bounded by guest memory.
      const fill = (off: number): Maybe<number> => {
        if (off >= n && !(n === 0 && off === 0)) return ERRNO.SUCCESS;
        const chunk = Math.min(LIMITS.RANDOM_CHUNK, n - off);
        return cx.call('random.bytes', { length: chunk }, (v: { bytes: Uint8Array }) => {
          if (!(v.bytes instanceof Uint8Array) || v.bytes.byteLength !== chunk) return ERRNO.EIO;
          if (!new MemAccess(ctx.memory).write(p + off, v.bytes)) return ERRNO.EFAULT;
          return off + chunk >= n ? ERRNO.SUCCESS : fill(off + chunk);
        });
      };
      return fill(0);
    },

    proc_exit: ([code]) => host.exit(u32(code)),
    // Signals do not exist for a guest here (as in wasmtime).
    proc_raise: () => cx.local(ERRNO.ENOTSUP),

    sched_yield: () => {
      host.countLocal();
      // A settled promise makes a suspending implementation return `waiting`: the scheduler ends the slice.
      return host.canSuspend ? Promise.resolve(ERRNO.SUCCESS) : ERRNO.SUCCESS;
    },
  };
}
