import { composeAdapter } from '@fayger/adapter-core';
import { FaygerError, type PlatformAdapter } from '@fayger/contracts';

/** Where a guest's standard streams go. Any object with `write(bytes)` works (a Node stream, an array pusher). */
export interface StdioStreams {
  stdout?: { write(chunk: Uint8Array): unknown };
  stderr?: { write(chunk: Uint8Array): unknown };
  /** Reads up to `maxBytes` from standard input; resolves with an empty array at end of input. */
  stdin?: (maxBytes: number, signal: AbortSignal) => Promise<Uint8Array>;
}

/**
 * Adds the `stdio` capability (stdio.write / stdio.read, what WASI fd 0-2 become) to an adapter that does not
 * offer it, backed by the given streams; every other op goes to the adapter unchanged. Adapters that offer
 * stdio themselves are returned as they are.
 */
export function withStdio(adapter: PlatformAdapter, streams: StdioStreams): PlatformAdapter {
  if (adapter.available().some((o) => o.name === 'stdio')) return adapter;
  return composeAdapter(adapter, {
    handlers: {
      'stdio.write': (a) => {
        const target = a.stream === 'stderr' ? streams.stderr : streams.stdout;
        if (!target) throw new FaygerError({ code: 'ADAPTER_IO_FAILED', phase: 'stdio.write', what: 'stdio.write', found: `no ${a.stream} stream is attached to this Fayger instance` });
        // Copy: the guest's memory view may be reused before the host stream flushes.
        target.write(a.data.slice());
        return { bytesWritten: a.data.length };
      },
      'stdio.read': async (a, ctx) => {
        if (!streams.stdin) return { data: new Uint8Array(0), eof: true };
        const data = await streams.stdin(a.maxBytes, ctx.signal);
        return { data, eof: data.length === 0 };
      },
    },
  });
}
