import { composeAdapter } from '@fayger/adapter-core';
import { FaygerError, type PlatformAdapter } from '@fayger/contracts';

/**
 * A stream guest output goes to. Any object with `write(bytes)` works (an array pusher); a Node Writable (or
 * anything with `once`/`on`/`off`) also gets backpressure — when `write` returns false the guest waits for
 * `drain` — and EPIPE handling: once the stream reports an error the guest's next write ends the run with
 * ADAPTER_STREAM_CLOSED.
 */
export interface StdioWritable {
  write(chunk: Uint8Array): unknown;
  once?(event: string, listener: (...args: any[]) => void): unknown;
  on?(event: string, listener: (...args: any[]) => void): unknown;
  off?(event: string, listener: (...args: any[]) => void): unknown;
}

/** Where a guest's standard streams go. */
export interface StdioStreams {
  stdout?: StdioWritable;
  stderr?: StdioWritable;
  /** Reads up to `maxBytes` from standard input; resolves with an empty array at end of input. */
  stdin?: (maxBytes: number, signal: AbortSignal) => Promise<Uint8Array>;
  /**
   * Waits at most `timeoutMs` (0: just looks) until standard input has bytes or has ended, without consuming
   * them (WASI poll_oneoff on fd 0). Without it, stdin is reported ready at once (a read then waits).
   */
  stdinPoll?: (timeoutMs: number, signal: AbortSignal) => Promise<StdinReadiness>;
}

/** What `stdinPoll` found: `ready` when a read would not wait (bytes buffered, or `eof`). */
export interface StdinReadiness {
  ready: boolean;
  eof: boolean;
  /** Bytes a read gets now (0 at eof or when not ready). */
  bytes: number;
}

type StreamName = 'stdout' | 'stderr';

/**
 * Adds the `stdio` capability (stdio.write / stdio.read, what WASI fd 0-2 become) to an adapter that does not
 * offer it, backed by the given streams; every other op goes to the adapter unchanged. Adapters that offer
 * stdio themselves are returned as they are.
 */
export function withStdio(adapter: PlatformAdapter, streams: StdioStreams): PlatformAdapter {
  if (adapter.available().some((o) => o.name === 'stdio')) return adapter;
  // A stream that reported an error (EPIPE: its reader has gone) takes no more output.
  const broken: Partial<Record<StreamName, unknown>> = {};
  const watchers: Array<() => void> = [];
  const watched = new Set<StreamName>();
  const watch = (name: StreamName, target: StdioWritable): void => {
    if (watched.has(name) || !target.on) return;
    watched.add(name);
    const onError = (err: unknown) => {
      broken[name] = err ?? new Error('stream error');
    };
    target.on('error', onError);
    watchers.push(() => target.off?.('error', onError));
  };

  const write = (
    name: StreamName,
    target: StdioWritable,
    data: Uint8Array,
  ): { bytesWritten: number } | Promise<{ bytesWritten: number }> => {
    watch(name, target);
    if (broken[name] !== undefined) throw streamClosed(name, broken[name]);
    // Copy: the guest's memory view may be reused before the host stream flushes.
    const accepted = target.write(data.slice());
    const result = { bytesWritten: data.length };
    if (accepted !== false || !target.once) return result;
    // Backpressure: the stream's buffer is full; the guest waits (suspended) until it drains.
    return new Promise((resolve, reject) => {
      const done = (err?: unknown) => {
        target.off?.('drain', onDrain);
        target.off?.('error', onError);
        target.off?.('close', onClose);
        if (err !== undefined) reject(streamClosed(name, err));
        else resolve(result);
      };
      const onDrain = () => done();
      const onError = (err: unknown) => {
        broken[name] = err ?? new Error('stream error');
        done(broken[name]);
      };
      const onClose = () => {
        broken[name] ??= new Error('stream closed');
        done(broken[name]);
      };
      target.once!('drain', onDrain);
      target.once!('error', onError);
      target.once!('close', onClose);
    });
  };

  return composeAdapter(adapter, {
    handlers: {
      'stdio.write': (a) => {
        const name: StreamName = a.stream === 'stderr' ? 'stderr' : 'stdout';
        const target = streams[name];
        if (!target) throw unavailable('stdio.write', `no ${a.stream} stream is attached to this Fayger instance`);
        return write(name, target, a.data);
      },
      'stdio.read': async (a, ctx) => {
        if (!streams.stdin) return { data: new Uint8Array(0), eof: true };
        const data = await streams.stdin(a.maxBytes, ctx.signal);
        return { data, eof: data.length === 0 };
      },
      'stdio.poll': async (a, ctx) => {
        if (!streams.stdin) return { ready: true, eof: true, bytes: 0 };
        // A stdin function that cannot be peeked: ready now, as before stdio.poll existed (the read waits).
        if (!streams.stdinPoll) return { ready: true, eof: false, bytes: 1 };
        return streams.stdinPoll(a.timeoutMs, ctx.signal);
      },
    },
    close: () => watchers.splice(0).forEach((off) => off()),
  });
}

function streamClosed(stream: StreamName, err: unknown): FaygerError {
  const errno = (err as { code?: unknown } | undefined)?.code;
  return new FaygerError({
    code: 'ADAPTER_STREAM_CLOSED',
    phase: 'stdio.write',
    what: `writing guest output to ${stream}`,
    expected: `an open ${stream} (its reader still reading)`,
    found:
      typeof errno === 'string'
        ? `${errno}: ${(err as Error).message ?? ''}`.trim()
        : String((err as Error)?.message ?? err),
    hint: `The reader of ${stream} has gone (e.g. \`| head\`); the run ends here.`,
    details: { stream, ...(typeof errno === 'string' ? { errno } : {}) },
    cause: err,
  });
}

function unavailable(op: string, found: string): FaygerError {
  return new FaygerError({ code: 'ADAPTER_IO_FAILED', phase: op, what: op, found, details: { op } });
}
