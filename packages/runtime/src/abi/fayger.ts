import { FaygerError, isOpName, type FaygerErrorData } from '@fayger/contracts';
import { base64Decode, utf8Decode, utf8Encode } from '../host-globals.js';
import type { HostFunction } from '@fayger/contracts';
import {
  andThen,
  countJsonValues,
  MAX_HOST_CALL_JSON_VALUES,
  type HostGate,
  type Maybe,
  type Outcome,
} from './gate.js';
import { MemAccess, i32, u32 } from './memory.js';

/** Status codes of the fayger import module (docs/abi.md). */
export const FAYGER_STATUS = { OK: 0, EDENIED: 1, EINVAL: 2, EQUOTA: 3, EHOST: 4, ETOOBIG: 5 } as const;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

/** Maps a FaygerError code to the status the guest sees. */
export function statusFor(code: string): number {
  switch (code) {
    case 'CAPABILITY_DENIED':
    case 'CAPABILITY_SCOPE_DENIED':
    case 'CAPABILITY_REQUIRED_MISSING':
      return FAYGER_STATUS.EDENIED;
    case 'INSTRUCTION_INVALID':
    case 'INSTRUCTION_UNKNOWN_OP':
    case 'RUNTIME_GUEST_ABI_VIOLATION':
    case 'ADAPTER_PATH_INVALID':
      return FAYGER_STATUS.EINVAL;
    case 'CAPABILITY_QUOTA_EXCEEDED':
    case 'QUOTA_HOST_CALL_RATE_EXCEEDED':
    case 'QUOTA_OUTPUT_EXCEEDED':
      return FAYGER_STATUS.EQUOTA;
    case 'RUNTIME_HOST_CALL_TOO_LARGE':
      return FAYGER_STATUS.ETOOBIG;
    default:
      return FAYGER_STATUS.EHOST;
  }
}

/** Thrown by `exit`: unwinds the guest; the instance reads the code it recorded. */
export class GuestExit extends Error {
  constructor(readonly code: number) {
    super(`guest exited with code ${code}`);
  }
}

/** What the fayger module needs from its instance beyond the gate. */
export interface FaygerHost {
  readonly gate: HostGate;
  /** Records the exit and ends the guest (after the app.exit instruction when `app` is granted); never returns normally. */
  exit(code: number): Maybe<never>;
  countLocal(): void;
}

interface Pending {
  json: Uint8Array;
  blobs: Uint8Array[];
}

function abiViolation(what: string, expected: string, found: string): FaygerErrorData {
  return new FaygerError({ code: 'RUNTIME_GUEST_ABI_VIOLATION', phase: 'fayger.call', what, expected, found }).toJSON();
}

/**
 * Builds the `fayger` import module for one instance. Only `names` (the functions the module imports) are
 * built; an unknown fayger.* name is left out so the implementation fails linking with WASM_LINK_ERROR.
 */
export function createFaygerModule(host: FaygerHost, names: readonly string[]): Record<string, HostFunction> {
  const { gate } = host;
  let pending: Pending | undefined;

  const setPending = (value: unknown): void => {
    const blobs: Uint8Array[] = [];
    const text = JSON.stringify(value, (_k, v: unknown) => {
      if (v instanceof Uint8Array) {
        blobs.push(v);
        return { $blob: blobs.length - 1 };
      }
      return v;
    });
    pending = { json: utf8Encode(text ?? 'null'), blobs };
  };

  const settle = (o: Outcome): number => {
    if (o.ok) {
      setPending(o.value);
      return FAYGER_STATUS.OK;
    }
    setPending({ code: o.error.code, message: o.error.message, phase: o.error.phase });
    return statusFor(o.error.code);
  };

  const fail = (error: FaygerErrorData): number => {
    setPending({ code: error.code, message: error.message, phase: error.phase });
    return statusFor(error.code);
  };

  /** Copies `data` to [ptr, ptr+cap) with the result_read convention. */
  const copyOut = (mem: MemAccess, data: Uint8Array | undefined, ptr: number, cap: number): number => {
    if (!data) return -FAYGER_STATUS.EINVAL;
    if (cap < data.byteLength) return -FAYGER_STATUS.ETOOBIG;
    if (!mem.write(ptr, data)) return -FAYGER_STATUS.EINVAL;
    return data.byteLength;
  };

  const all: Record<string, HostFunction> = {
    call: ([opPtr, opLen, argsPtr, argsLen], ctx): Maybe<number> => {
      const mem = new MemAccess(ctx.memory);
      const cap = gate.maxHostCallBytes;
      // Bounded before allocation: the op and args strings first, then every $mem ref (pass 1 sums, copies nothing).
      if (u32(opLen) > 256 || u32(opLen) + u32(argsLen) > cap)
        return fail(gate.refuseTooLarge('fayger.call', u32(opLen) + u32(argsLen)));
      const opBytes = mem.read(u32(opPtr), u32(opLen));
      const argBytes = mem.read(u32(argsPtr), u32(argsLen));
      if (!opBytes || !argBytes) {
        return fail(
          abiViolation(
            'reading fayger.call arguments',
            'op and args inside guest memory',
            'a pointer/length outside it',
          ),
        );
      }
      const op = utf8Decode(opBytes);
      if (!isOpName(op)) {
        return fail(
          new FaygerError({
            code: 'INSTRUCTION_UNKNOWN_OP',
            phase: 'fayger.call',
            what: 'fayger.call',
            expected: 'an op of the v1 catalogue (docs/abi.md)',
            found: JSON.stringify(op.slice(0, 64)),
          }).toJSON(),
        );
      }
      // Parsing is work in proportion to the text (charged as fuel), and its host objects in proportion to the
      // JSON values: both bounded before parsing.
      const values = countJsonValues(argBytes, MAX_HOST_CALL_JSON_VALUES);
      if (values > MAX_HOST_CALL_JSON_VALUES) return fail(gate.refuseTooManyValues(op, values));
      gate.chargeBytes(argBytes.byteLength);
      let args: unknown;
      let referenced = argBytes.byteLength;
      const text = utf8Decode(argBytes);
      try {
        JSON.parse(text, (_k, v: unknown) => {
          if (v && typeof v === 'object' && !Array.isArray(v)) {
            const keys = Object.keys(v);
            if (keys.length === 1 && keys[0] === '$mem') {
              const ref = (v as { $mem: unknown }).$mem;
              if (!Array.isArray(ref) || ref.length !== 2 || !ref.every((n) => Number.isInteger(n) && n >= 0)) {
                throw new Error('$mem must be [ptr, len] with non-negative integers');
              }
              if (!mem.inBounds(ref[0] as number, ref[1] as number))
                throw new Error(`$mem [${ref[0]}, ${ref[1]}] lies outside guest memory`);
              referenced += ref[1] as number;
              return 0;
            }
          }
          return v;
        });
      } catch (err) {
        return fail(
          new FaygerError({
            code: 'INSTRUCTION_INVALID',
            phase: 'fayger.call',
            what: `decoding the ${op} arguments`,
            expected: 'a UTF-8 JSON object (bytes as {"$mem":[ptr,len]} or {"$b64":"..."})',
            found: (err as Error).message,
          }).toJSON(),
        );
      }
      if (referenced > cap) return fail(gate.refuseTooLarge(op, referenced));
      try {
        args = JSON.parse(text, (_k, v: unknown) => {
          if (v && typeof v === 'object' && !Array.isArray(v)) {
            const keys = Object.keys(v);
            if (keys.length === 1 && keys[0] === '$mem') {
              const ref = (v as { $mem: unknown }).$mem;
              if (!Array.isArray(ref) || ref.length !== 2 || !ref.every((n) => Number.isInteger(n) && n >= 0)) {
                throw new Error('$mem must be [ptr, len] with non-negative integers');
              }
              const bytes = mem.read(ref[0] as number, ref[1] as number);
              if (!bytes) throw new Error(`$mem [${ref[0]}, ${ref[1]}] lies outside guest memory`);
              return bytes;
            }
            if (keys.length === 1 && keys[0] === '$b64') {
              const b =
                typeof (v as { $b64: unknown }).$b64 === 'string'
                  ? base64Decode((v as { $b64: string }).$b64)
                  : undefined;
              if (!b) throw new Error('$b64 must be a base64 string');
              return b;
            }
          }
          return v;
        });
      } catch (err) {
        return fail(
          new FaygerError({
            code: 'INSTRUCTION_INVALID',
            phase: 'fayger.call',
            what: `decoding the ${op} arguments`,
            expected: 'a UTF-8 JSON object (bytes as {"$mem":[ptr,len]} or {"$b64":"..."})',
            found: (err as Error).message,
          }).toJSON(),
        );
      }
      if (args === null || typeof args !== 'object' || Array.isArray(args)) {
        return fail(
          new FaygerError({
            code: 'INSTRUCTION_INVALID',
            phase: 'fayger.call',
            what: `decoding the ${op} arguments`,
            expected: 'a JSON object',
            found: Array.isArray(args) ? 'an array' : String(args),
          }).toJSON(),
        );
      }
      pending = undefined;
      if (op === 'app.exit') {
        const code = (args as { code?: unknown }).code;
        if (!Number.isInteger(code) || (code as number) < 0 || (code as number) > 255) {
          return fail(
            new FaygerError({
              code: 'INSTRUCTION_INVALID',
              phase: 'fayger.call',
              what: 'app.exit',
              expected: 'code 0..255',
              found: String(code),
            }).toJSON(),
          );
        }
        return host.exit(code as number);
      }
      return andThen(gate.invoke(op, args), settle);
    },

    result_len: (): number => {
      host.countLocal();
      return pending ? pending.json.byteLength : 0;
    },

    result_read: ([ptr, cap], ctx): number => {
      host.countLocal();
      return copyOut(new MemAccess(ctx.memory), pending?.json ?? new Uint8Array(0), u32(ptr), i32(cap));
    },

    blob_len: ([index]): number => {
      host.countLocal();
      const b = pending?.blobs[u32(index)];
      return b ? b.byteLength : -FAYGER_STATUS.EINVAL;
    },

    blob_read: ([index, ptr, cap], ctx): number => {
      host.countLocal();
      return copyOut(new MemAccess(ctx.memory), pending?.blobs[u32(index)], u32(ptr), i32(cap));
    },

    log: ([level, ptr, len], ctx): Maybe<number> => {
      const lv = LEVELS[i32(level)];
      if (u32(len) > gate.maxHostCallBytes) {
        gate.refuseTooLarge('log.write', u32(len));
        return FAYGER_STATUS.ETOOBIG;
      }
      const bytes = new MemAccess(ctx.memory).read(u32(ptr), u32(len));
      if (lv === undefined || !bytes) return FAYGER_STATUS.EINVAL;
      // Copying and decoding the message is work in proportion to its bytes: charged as fuel like any payload.
      gate.chargeBytes(bytes.byteLength);
      return andThen(gate.invoke('log.write', { level: lv, message: utf8Decode(bytes) }), (o) =>
        o.ok ? FAYGER_STATUS.OK : statusFor(o.error.code),
      );
    },

    clock_now: ([clock]): Maybe<number> => {
      const c = i32(clock);
      if (c !== 0 && c !== 1) return -1;
      return andThen(gate.invoke('clock.now', { clock: c === 0 ? 'realtime' : 'monotonic' }), (o) =>
        o.ok ? Number((o.value as { timeMs: number }).timeMs) : -1,
      );
    },

    random_fill: ([ptr, len], ctx): Maybe<number> => {
      const p = u32(ptr);
      const n = u32(len);
      if (!new MemAccess(ctx.memory).inBounds(p, n) || n > 65536) return FAYGER_STATUS.EINVAL;
      return andThen(gate.invoke('random.bytes', { length: n }), (o) => {
        if (!o.ok) return statusFor(o.error.code);
        const bytes = (o.value as { bytes: Uint8Array }).bytes;
        if (!(bytes instanceof Uint8Array) || bytes.byteLength !== n) return FAYGER_STATUS.EHOST;
        return new MemAccess(ctx.memory).write(p, bytes) ? FAYGER_STATUS.OK : FAYGER_STATUS.EINVAL;
      });
    },

    sleep_ms: ([ms]): Maybe<number> => {
      const v = Number(ms);
      if (!Number.isFinite(v) || v < 0) return FAYGER_STATUS.EINVAL;
      return andThen(gate.invoke('timer.sleep', { ms: Math.min(v, 2_147_483_647) }), (o) =>
        o.ok ? FAYGER_STATUS.OK : statusFor(o.error.code),
      );
    },

    exit: ([code]): Maybe<never> => host.exit(i32(code)),

    has_capability: ([ptr, len], ctx): number => {
      host.countLocal();
      const bytes = new MemAccess(ctx.memory).read(u32(ptr), u32(len));
      if (!bytes) return 0;
      return gate.granted(utf8Decode(bytes)) ? 1 : 0;
    },
  };

  const out: Record<string, HostFunction> = {};
  for (const n of names) if (Object.prototype.hasOwnProperty.call(all, n)) out[n] = all[n]!;
  return out;
}

/** The capability a fayger.* import needs, for the strict link policy (undefined: none, or not knowable). */
export const FAYGER_IMPORT_CAPABILITY: Readonly<Record<string, string | undefined>> = {
  log: 'log',
  clock_now: 'clock',
  random_fill: 'random',
  sleep_ms: 'timer',
};
