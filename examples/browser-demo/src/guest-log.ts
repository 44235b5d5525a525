import type { PlatformAdapter, UniversalInstruction } from '@fayger/contracts';

export interface GuestLogLine {
  level: string;
  message: string;
}

/**
 * Wraps an adapter so every `log.write` the guest sends is also recorded: the guest-visible transcript of a
 * run, whatever the host does with the record (console, terminal, bridge).
 */
export function recordGuestLog(adapter: PlatformAdapter): { adapter: PlatformAdapter; lines: GuestLogLine[] } {
  const lines: GuestLogLine[] = [];
  const wrapped = new Proxy(adapter, {
    get(target, prop) {
      if (prop === 'handle') {
        return (ins: UniversalInstruction, ctx: Parameters<PlatformAdapter['handle']>[1]) => {
          if (ins.op === 'log.write') {
            const a = ins.args as { level?: unknown; message?: unknown };
            lines.push({ level: String(a.level), message: String(a.message) });
          }
          return target.handle(ins, ctx);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { adapter: wrapped, lines };
}
