import type { HostFunction } from '@fayger/contracts';
import { andThen, type Maybe } from '../gate.js';
import { MemAccess, u32 } from '../memory.js';
import type { WasiContext } from './context.js';
import { ERRNO } from './errno.js';
import { LIMITS, type StatValue } from './types.js';

const EVENTTYPE = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
const SUBCLOCK_ABSTIME = 1;
const EVENTRW_HANGUP = 1;
const MAX_SLEEP_MS = 2_147_483_647;

interface ClockSub {
  userdata: bigint;
  tag: 0;
  clock: number;
  timeoutNs: bigint;
  abs: boolean;
}
interface FdSub {
  userdata: bigint;
  tag: 1 | 2;
  fd: number;
}
type Sub = ClockSub | FdSub;
interface Ready {
  userdata: bigint;
  tag: number;
  nbytes: bigint;
  hangup: boolean;
  /** A per-event errno (the event's `error` field); SUCCESS when absent. */
  error?: number;
}
/** One stdio.poll waits at most this long; a longer wait is several (well inside the bus's call deadline). */
const STDIN_POLL_CHUNK_MS = 60_000;

interface StdinReadiness {
  ready: boolean;
  eof: boolean;
  bytes: number;
}

/**
 * poll_oneoff on clocks and descriptors. Files and stdout/stderr are always ready (as in wasmtime). stdin is
 * ready only when a read would not wait: the host is asked with `stdio.poll`, which waits (event-driven, no
 * polling) until bytes arrive or stdin ends, at most until the earliest clock deadline — or not at all when
 * another descriptor is ready already; with no clock it waits as long as it takes, in bounded steps. A host
 * without `stdio.poll` gets the old answer (ready at once: the read then waits in fd_read). With no descriptor
 * subscription the guest sleeps (one timer.sleep) until the earliest clock deadline, and every clock due by
 * then is reported.
 */
export function pollFunctions(cx: WasiContext): Record<string, HostFunction> {
  return {
    poll_oneoff: ([inPtr, outPtr, nsubs, neventsPtr], ctx) => {
      const mem = new MemAccess(ctx.memory);
      const n = u32(nsubs);
      const ip = u32(inPtr);
      const op = u32(outPtr);
      // Indefinite sleep is not expressible in preview1; the subscription count is bounded before any allocation.
      if (n === 0 || n > LIMITS.SUBSCRIPTIONS) return cx.local(ERRNO.EINVAL);
      if (!mem.inBounds(ip, n * 48) || !mem.inBounds(op, n * 32)) return cx.local(ERRNO.EFAULT);
      const subs: Sub[] = [];
      for (let i = 0; i < n; i++) {
        const b = ip + i * 48;
        const userdata = mem.u64(b)!;
        const tag = mem.u8At(b + 8)!;
        if (tag === EVENTTYPE.CLOCK) {
          const clock = mem.u32(b + 16)!;
          if (clock > 3) return cx.local(ERRNO.EINVAL);
          subs.push({
            userdata,
            tag,
            clock,
            timeoutNs: mem.u64(b + 24)!,
            abs: (mem.u16(b + 40)! & SUBCLOCK_ABSTIME) !== 0,
          });
        } else if (tag === EVENTTYPE.FD_READ || tag === EVENTTYPE.FD_WRITE) {
          const fd = mem.u32(b + 16)!;
          const e = cx.fds.get(fd);
          const ok =
            tag === EVENTTYPE.FD_READ
              ? e?.kind === 'file' || (e?.kind === 'stdio' && e.stream === 'stdin')
              : e?.kind === 'file' || (e?.kind === 'stdio' && e.stream !== 'stdin');
          if (!ok) return cx.local(ERRNO.EBADF);
          subs.push({ userdata, tag, fd });
        } else return cx.local(ERRNO.EINVAL);
      }

      const report = (ready: Ready[]): number => {
        const m = new MemAccess(ctx.memory);
        ready.forEach((r, i) => {
          const b = op + i * 32;
          m.zero(b, 32);
          m.setU64(b, r.userdata);
          if (r.error) m.setU16(b + 8, r.error);
          m.setU8(b + 10, r.tag);
          if (r.tag !== EVENTTYPE.CLOCK) {
            m.setU64(b + 16, r.nbytes);
            m.setU16(b + 24, r.hangup ? EVENTRW_HANGUP : 0);
          }
        });
        return m.setU32(u32(neventsPtr), ready.length) ? ERRNO.SUCCESS : ERRNO.EFAULT;
      };

      // "now" of each clock kind an absolute deadline needs, read once through clock.now.
      const nowNs: Record<string, bigint> = {};
      const clocks = subs.filter((s): s is ClockSub => s.tag === EVENTTYPE.CLOCK);
      const needNow = [...new Set(clocks.filter((c) => c.abs).map((c) => (c.clock === 0 ? 'realtime' : 'monotonic')))];
      const readClocks = (i: number): Maybe<number> => {
        if (i >= needNow.length) return ERRNO.SUCCESS;
        const kind = needNow[i]!;
        return cx.call('clock.now', { clock: kind }, (v: { timeMs: number }) => {
          nowNs[kind] = BigInt(Math.round(v.timeMs * 1e6));
          return readClocks(i + 1);
        });
      };
      const remainingNs = (c: ClockSub): bigint => {
        if (!c.abs) return c.timeoutNs;
        const now = nowNs[c.clock === 0 ? 'realtime' : 'monotonic'] ?? 0n;
        return c.timeoutNs > now ? c.timeoutNs - now : 0n;
      };
      const clockReady = (c: ClockSub): Ready => ({
        userdata: c.userdata,
        tag: EVENTTYPE.CLOCK,
        nbytes: 0n,
        hangup: false,
      });

      return andThen(needNow.length ? readClocks(0) : ERRNO.SUCCESS, (status): Maybe<number> => {
        if (status !== ERRNO.SUCCESS) return status;
        const isStdin = (s: FdSub): boolean => {
          const e = cx.fds.get(s.fd);
          return s.tag === EVENTTYPE.FD_READ && e?.kind === 'stdio' && e.stream === 'stdin';
        };
        const stdinSubs = subs.filter((s): s is FdSub => s.tag !== EVENTTYPE.CLOCK && isStdin(s));
        const fdSubs = subs.filter((s): s is FdSub => s.tag !== EVENTTYPE.CLOCK && !isStdin(s));
        const earliestNs = clocks.length
          ? clocks.reduce((m, c) => (remainingNs(c) < m ? remainingNs(c) : m), remainingNs(clocks[0]!))
          : undefined;

        // stdin: ask the host how long to wait for it (0 when another descriptor or a clock is due already).
        const waitStdin = (leftMs: number, ready: Ready[]): Maybe<number> => {
          const timeoutMs = Math.min(leftMs, STDIN_POLL_CHUNK_MS);
          return andThen(cx.host.gate.invoke('stdio.poll', { timeoutMs }), (o): Maybe<number> => {
            let r: StdinReadiness;
            if (o.ok) r = o.value as StdinReadiness;
            else if (o.error.code === 'ADAPTER_UNSUPPORTED_OP') r = { ready: true, eof: false, bytes: 1 };
            else {
              // Not pollable here (no stdio granted, host failure): each stdin event carries the errno.
              const error = cx.err(o);
              return report([
                ...ready,
                ...stdinSubs.map((s) => ({ userdata: s.userdata, tag: s.tag, nbytes: 0n, hangup: false, error })),
              ]);
            }
            if (r.ready) {
              const events = stdinSubs.map((s) => ({
                userdata: s.userdata,
                tag: s.tag,
                nbytes: BigInt(r.bytes),
                hangup: r.eof,
              }));
              return report([...ready, ...events, ...clocks.filter((c) => remainingNs(c) === 0n).map(clockReady)]);
            }
            if (ready.length) return report([...ready, ...clocks.filter((c) => remainingNs(c) === 0n).map(clockReady)]);
            if (leftMs - timeoutMs > 0) return waitStdin(leftMs - timeoutMs, ready);
            // The earliest deadline came first: the clocks due by then.
            return report(clocks.filter((c) => remainingNs(c) <= earliestNs!).map(clockReady));
          });
        };

        if (fdSubs.length) {
          // Descriptors are ready now; clocks already due come along.
          const ready: Ready[] = [];
          const next = (i: number): Maybe<number> => {
            if (i >= fdSubs.length) {
              if (stdinSubs.length) return waitStdin(0, ready);
              return report([...ready, ...clocks.filter((c) => remainingNs(c) === 0n).map(clockReady)]);
            }
            const s = fdSubs[i]!;
            const e = cx.fds.get(s.fd)!;
            if (s.tag === EVENTTYPE.FD_READ && e.kind === 'file') {
              // A file's readable bytes are what lies past the position; none left reports a hangup.
              return cx.call('fs.stat', { path: e.path }, (st: StatValue) => {
                const left = BigInt(Math.max(0, st.size - e.pos));
                ready.push({ userdata: s.userdata, tag: s.tag, nbytes: left, hangup: left === 0n });
                return next(i + 1);
              });
            }
            ready.push({ userdata: s.userdata, tag: s.tag, nbytes: 1n, hangup: false });
            return next(i + 1);
          };
          return next(0);
        }
        if (stdinSubs.length) return waitStdin(earliestNs === undefined ? Infinity : Number(earliestNs) / 1e6, []);
        const waitNs = earliestNs!;
        const due = clocks.filter((c) => remainingNs(c) <= waitNs).map(clockReady);
        const sleep = (leftMs: number): Maybe<number> => {
          if (leftMs <= 0) return report(due);
          const ms = Math.min(leftMs, MAX_SLEEP_MS);
          return cx.call('timer.sleep', { ms }, () => sleep(leftMs - ms));
        };
        const totalMs = Number(waitNs) / 1e6;
        return totalMs <= 0 ? cx.local(report(due)) : sleep(totalMs);
      });
    },
  };
}
