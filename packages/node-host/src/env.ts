import type { OpArgs, OpResult } from '@fayger/contracts';

export interface EnvSourceOptions {
  /** Where variables come from (default process.env, read at call time). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Variables the adapter may ever expose (default: all). The grant narrows further. */
  allow?: readonly string[];
}

/** Environment variables filtered by an adapter-level allow-list (the bus filters again by the grant). */
export class EnvSource {
  private readonly allow: Set<string> | undefined;
  constructor(private readonly options: EnvSourceOptions = {}) {
    this.allow = options.allow ? new Set(options.allow) : undefined;
  }
  /** The variables this source offers, or undefined for "any". */
  variables(): string[] | undefined {
    return this.allow ? [...this.allow] : undefined;
  }
  private source(): Readonly<Record<string, string | undefined>> {
    return this.options.env ?? process.env;
  }
  get(a: OpArgs<'env.get'>, granted?: readonly string[]): OpResult<'env.get'> {
    if (this.allow && !this.allow.has(a.name)) return { value: null };
    if (granted && !granted.includes(a.name)) return { value: null };
    const v = this.source()[a.name];
    return { value: typeof v === 'string' ? v : null };
  }
  list(granted?: readonly string[]): OpResult<'env.list'> {
    const out: Record<string, string> = {};
    const src = this.source();
    for (const [k, v] of Object.entries(src)) {
      if (typeof v !== 'string') continue;
      if (this.allow && !this.allow.has(k)) continue;
      if (granted && !granted.includes(k)) continue;
      out[k] = v;
    }
    return { variables: out };
  }
}
