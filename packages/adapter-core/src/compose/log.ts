import type { OpArgs } from '@fayger/contracts';

export type LogLevel = OpArgs<'log.write'>['level'];
const LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** One guest log record, as `log.onRecord` receives it. */
export interface GuestLogRecord {
  /** Milliseconds since the Unix epoch. */
  time: number;
  instanceId: string;
  level: LogLevel;
  message: string;
  fields?: Record<string, string>;
}

/**
 * A text sink: a Node stream, a terminal, an array pusher. A sink with `once` (a Node Writable) gets
 * backpressure: when `write` returns false the guest's log.write waits for `drain` (or `close`/`error`), so a
 * guest flooding logs to a slow reader is held back instead of growing the host's write buffer.
 */
export interface TextOutput {
  write(chunk: string): unknown;
  once?(event: string, listener: (...args: any[]) => void): unknown;
  off?(event: string, listener: (...args: any[]) => void): unknown;
  /** A destroyed stream never drains: writes to it are not waited on. */
  readonly destroyed?: boolean;
}

/**
 * Where guest logs go — the same option on every adapter (`log`). Each adapter picks its host's default
 * output: JSON lines on stderr for the server, text on stderr for the desktop, the console in a page.
 */
export interface LogOptions {
  /** Records below this level are dropped (default 'trace': keep all). */
  minLevel?: LogLevel;
  /** How records are written to a text `output`: one JSON object per line, or one escaped text line. */
  format?: 'json' | 'text';
  /** A text sink, 'console' (console.debug/info/warn/error), or false: nowhere. */
  output?: TextOutput | 'console' | false;
  /** Receives every record that passes `minLevel`, structured (for your own logger). */
  onRecord?: (record: GuestLogRecord) => void;
  /** Extra fields on every JSON line (service name, host…). */
  base?: Record<string, string>;
  /** Clock for record times (tests). */
  now?: () => number;
}

// Guest text must not drive the operator's terminal (ANSI escapes, fake newlines forging records).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const clean = (s: string) => s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const CONSOLE: Record<LogLevel, 'debug' | 'info' | 'warn' | 'error'> = {
  trace: 'debug',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
};

/** Formats one record as a line (with its newline). */
export function formatLogRecord(r: GuestLogRecord, format: 'json' | 'text', base?: Record<string, string>): string {
  const time = new Date(r.time).toISOString();
  if (format === 'json')
    return `${JSON.stringify({ time, level: r.level, instanceId: r.instanceId, msg: r.message, ...base, ...(r.fields ? { fields: r.fields } : {}) })}\n`;
  const fields = r.fields
    ? ` ${Object.entries(r.fields)
        .map(([k, v]) => `${clean(k)}=${JSON.stringify(clean(v))}`)
        .join(' ')}`
    : '';
  return `${time} ${r.level.toUpperCase().padEnd(5)} [${clean(r.instanceId)}] ${clean(r.message)}${fields}\n`;
}

/**
 * The log.write behaviour every adapter shares: level filter, output in the chosen format, `onRecord`. Returns a
 * promise when the record was written to a stream whose buffer is full: it settles when the stream drains (or
 * closes), so the guest waits rather than the host buffering its logs.
 */
export function createLogWriter(
  options: LogOptions = {},
  hostDefault: Pick<LogOptions, 'output' | 'format'> = {},
): (instanceId: string, a: OpArgs<'log.write'>) => void | Promise<void> {
  const min = LEVELS.indexOf(options.minLevel ?? 'trace');
  const output = options.output ?? hostDefault.output ?? 'console';
  const format = options.format ?? hostDefault.format ?? 'json';
  const now = options.now ?? Date.now;
  // One wait per full buffer, shared by every writer held back by it.
  let draining: Promise<void> | undefined;
  const drained = (out: TextOutput & { once: NonNullable<TextOutput['once']> }): Promise<void> =>
    (draining ??= new Promise<void>((resolve) => {
      const done = () => {
        out.off?.('drain', done);
        out.off?.('close', done);
        out.off?.('error', done);
        draining = undefined;
        resolve();
      };
      out.once('drain', done);
      out.once('close', done);
      out.once('error', done);
    }));
  return (instanceId, a) => {
    if (LEVELS.indexOf(a.level) < min) return;
    const record: GuestLogRecord = {
      time: now(),
      instanceId,
      level: a.level,
      message: a.message,
      ...(a.fields ? { fields: a.fields } : {}),
    };
    let accepted: unknown = true;
    if (output === 'console') {
      const c = (globalThis as unknown as { console?: Record<string, ((...x: unknown[]) => void) | undefined> })
        .console;
      c?.[CONSOLE[a.level]]?.(`[fayger ${instanceId}] ${a.message}`, ...(a.fields ? [a.fields] : []));
    } else if (output !== false) accepted = output.write(formatLogRecord(record, format, options.base));
    options.onRecord?.(record);
    if (
      accepted === false &&
      output !== 'console' &&
      output !== false &&
      typeof output.once === 'function' &&
      output.destroyed !== true
    ) {
      return drained(output as TextOutput & { once: NonNullable<TextOutput['once']> });
    }
  };
}
