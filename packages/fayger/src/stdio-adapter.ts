import { FaygerError, type CapabilityOffer, type PlatformAdapter, type UniversalInstruction, type AdapterCallContext } from '@fayger/contracts';

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
  const offer: CapabilityOffer = { name: 'stdio' };
  const wrapped: PlatformAdapter = {
    id: adapter.id,
    hostKind: adapter.hostKind,
    available: () => [...adapter.available(), offer],
    detect: (probe) => adapter.detect(probe),
    handle(ins: UniversalInstruction, ctx: AdapterCallContext): unknown {
      if (ins.op === 'stdio.write') {
        const a = ins.args as { stream: 'stdout' | 'stderr'; data: Uint8Array };
        const target = a.stream === 'stderr' ? streams.stderr : streams.stdout;
        if (!target) throw unavailable(ins.op, `no ${a.stream} stream is attached to this Fayger instance`);
        // Copy: the guest's memory view may be reused before the host stream flushes.
        target.write(a.data.slice());
        return { bytesWritten: a.data.length };
      }
      if (ins.op === 'stdio.read') {
        const a = ins.args as { maxBytes: number };
        if (!streams.stdin) return Promise.resolve({ data: new Uint8Array(0), eof: true });
        return streams.stdin(a.maxBytes, ctx.signal).then((data) => ({ data, eof: data.length === 0 }));
      }
      return adapter.handle(ins, ctx);
    },
    dispose: (id) => adapter.dispose(id),
  };
  if (adapter.close) wrapped.close = () => adapter.close?.();
  return wrapped;
}

function unavailable(op: string, found: string): FaygerError {
  return new FaygerError({ code: 'ADAPTER_IO_FAILED', phase: op, what: op, found, details: { op } });
}
