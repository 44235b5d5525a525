import type { AdapterCallContext, OpArgs, OpResult } from '@fayger/contracts';

type Handle = ReturnType<typeof setTimeout>;

/**
 * Per-instance timers: timer.set / timer.clear / timer.sleep, all released by dispose(instanceId). Host-neutral
 * (setTimeout and AbortSignal exist on every host), so every adapter shares this one implementation: a repeating
 * timer re-arms at least 1 ms apart and never after it was cleared.
 */
export class TimerService {
  private readonly timers = new Map<string, Map<string, Handle>>();

  private of(instanceId: string): Map<string, Handle> {
    let m = this.timers.get(instanceId);
    if (!m) this.timers.set(instanceId, (m = new Map()));
    return m;
  }

  set(a: OpArgs<'timer.set'>, ctx: Pick<AdapterCallContext, 'instanceId' | 'emit'>): OpResult<'timer.set'> {
    const m = this.of(ctx.instanceId);
    const old = m.get(a.timerId);
    if (old) clearTimeout(old);
    const fire = (): void => {
      ctx.emit({ type: 'timer.fired', data: { timerId: a.timerId } });
      if (a.repeat && m.has(a.timerId)) m.set(a.timerId, setTimeout(fire, Math.max(1, a.ms)));
      else m.delete(a.timerId);
    };
    m.set(a.timerId, setTimeout(fire, a.ms));
    return {};
  }

  clear(a: OpArgs<'timer.clear'>, ctx: Pick<AdapterCallContext, 'instanceId'>): OpResult<'timer.clear'> {
    const m = this.of(ctx.instanceId);
    const t = m.get(a.timerId);
    if (t) clearTimeout(t);
    m.delete(a.timerId);
    return {};
  }

  sleep(a: OpArgs<'timer.sleep'>, ctx: Pick<AdapterCallContext, 'signal'>): Promise<OpResult<'timer.sleep'>> {
    return new Promise((resolve, reject) => {
      if (ctx.signal.aborted) return reject(ctx.signal.reason);
      const t = setTimeout(() => {
        ctx.signal.removeEventListener('abort', onAbort);
        resolve({});
      }, a.ms);
      const onAbort = (): void => {
        clearTimeout(t);
        reject(ctx.signal.reason);
      };
      ctx.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  count(instanceId?: string): number {
    if (instanceId !== undefined) return this.timers.get(instanceId)?.size ?? 0;
    let n = 0;
    for (const m of this.timers.values()) n += m.size;
    return n;
  }

  /** Instances that currently hold timers. */
  instanceIds(): string[] {
    return [...this.timers.keys()];
  }

  dispose(instanceId: string): void {
    for (const t of this.timers.get(instanceId)?.values() ?? []) clearTimeout(t);
    this.timers.delete(instanceId);
  }
}
