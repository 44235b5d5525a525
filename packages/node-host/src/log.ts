import type { OpArgs } from '@fayger/contracts';

export type LogFormat = 'json' | 'text';
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

export interface LogSinkOptions {
  /** Where records go (default process.stderr). */
  stream?: { write(chunk: string): unknown };
  format?: LogFormat;
  /** Records below this level are dropped (default 'trace': keep all). */
  minLevel?: (typeof LEVELS)[number];
  /** Extra fields on every record (service name, host…). */
  base?: Record<string, string>;
  now?: () => number;
}

// Guest text must not drive the operator's terminal (ANSI escapes, fake newlines forging records).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const clean = (s: string) => s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Structured log output: one JSON object (or one escaped text line) per guest log record. */
export class LogSink {
  private readonly min: number;
  constructor(private readonly options: LogSinkOptions = {}) {
    this.min = LEVELS.indexOf(options.minLevel ?? 'trace');
  }
  write(instanceId: string, a: OpArgs<'log.write'>): void {
    const level = a.level as unknown as string;
    if (LEVELS.indexOf(level as never) < this.min) return;
    const stream = this.options.stream ?? process.stderr;
    const time = new Date((this.options.now ?? Date.now)()).toISOString();
    if ((this.options.format ?? 'json') === 'json') {
      stream.write(`${JSON.stringify({ time, level, instanceId, msg: a.message, ...this.options.base, ...(a.fields ? { fields: a.fields } : {}) })}\n`);
    } else {
      const fields = a.fields ? ` ${Object.entries(a.fields).map(([k, v]) => `${clean(k)}=${JSON.stringify(clean(v))}`).join(' ')}` : '';
      stream.write(`${time} ${level.toUpperCase().padEnd(5)} [${clean(instanceId)}] ${clean(a.message)}${fields}\n`);
    }
  }
}
