import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const pkgDir = fileURLToPath(new URL('../..', import.meta.url));

/** Compiles an AssemblyScript entry of this package (path relative to it) to wasm bytes, in memory. */
export async function compile(entry: string, config: string): Promise<Uint8Array<ArrayBuffer>> {
  const out: Record<string, Uint8Array> = {};
  const stderr: string[] = [];
  const result = await asc.main(
    [entry, '--config', config, '--baseDir', pkgDir, '--outFile', 'out.wasm', '--optimize'],
    {
      writeFile: (name: string, contents: Uint8Array | string) => {
        out[name] = typeof contents === 'string' ? new TextEncoder().encode(contents) : contents;
      },
      stderr: { write: (s: string | Uint8Array) => (stderr.push(String(s)), true) } as never,
      stdout: { write: () => true } as never,
    },
  );
  if (result.error) throw new Error(`asc failed: ${result.error.message}\n${stderr.join('')}`);
  const wasm = out['out.wasm'];
  if (!wasm) throw new Error(`asc wrote no out.wasm (wrote ${Object.keys(out).join(', ')})`);
  return new Uint8Array(wasm);
}

export interface Answer {
  status: number;
  result: unknown;
  blobs?: Uint8Array[];
}

/** A call as the host saw it: op, args with {"$mem"} references resolved to bytes, and the raw JSON. */
export interface SeenCall {
  op: string;
  raw: string;
  args: Record<string, unknown>;
}

export class ExitSignal extends Error {
  constructor(public code: number) {
    super(`exit ${code}`);
  }
}

/**
 * A scripted implementation of the `fayger` import module, faithful to docs/abi.md on the parts the SDK
 * relies on: pending result + blobs replaced on every call, -5 on a short buffer, $mem resolution.
 */
export class FakeHost {
  logs: Array<{ level: number; message: string }> = [];
  calls: SeenCall[] = [];
  capabilities = new Set<string>(['log']);
  answer: (call: SeenCall) => Answer = () => ({
    status: 2,
    result: { code: 'VALIDATION_FAILED', message: 'unscripted', phase: 'call' },
  });
  private pending = new Uint8Array(0);
  private blobs: Uint8Array[] = [];
  memory!: WebAssembly.Memory;
  exports!: Record<string, unknown>;

  private mem(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }
  private str(ptr: number, len: number): string {
    return new TextDecoder().decode(this.mem().subarray(ptr, ptr + len));
  }
  private copyOut(src: Uint8Array | undefined, ptr: number, cap: number): number {
    if (!src) return -2;
    if (cap < src.length) return -5;
    this.mem().set(src, ptr);
    return src.length;
  }

  imports(): WebAssembly.Imports {
    return {
      fayger: {
        call: (opPtr: number, opLen: number, argsPtr: number, argsLen: number): number => {
          const op = this.str(opPtr, opLen);
          const raw = this.str(argsPtr, argsLen);
          const args = JSON.parse(raw, (_k, v) => {
            if (v && typeof v === 'object' && Array.isArray(v.$mem)) {
              const [p, l] = v.$mem as [number, number];
              return this.mem().slice(p, p + l);
            }
            return v;
          }) as Record<string, unknown>;
          const seen = { op, raw, args };
          this.calls.push(seen);
          const a = this.answer(seen);
          this.pending = new TextEncoder().encode(JSON.stringify(a.result));
          this.blobs = a.blobs ?? [];
          return a.status;
        },
        result_len: () => this.pending.length,
        result_read: (ptr: number, cap: number) => this.copyOut(this.pending, ptr, cap),
        blob_len: (i: number) => this.blobs[i]?.length ?? -2,
        blob_read: (i: number, ptr: number, cap: number) => this.copyOut(this.blobs[i], ptr, cap),
        log: (level: number, ptr: number, len: number) => {
          this.logs.push({ level, message: this.str(ptr, len) });
          return 0;
        },
        clock_now: (clock: number) => (this.capabilities.has('clock') ? (clock === 0 ? 1_700_000_000_000 : 12.5) : -1),
        random_fill: (ptr: number, len: number) => {
          if (!this.capabilities.has('random')) return 1;
          this.mem().fill(0xab, ptr, ptr + len);
          return 0;
        },
        sleep_ms: (ms: number) => (this.capabilities.has('timer') && ms >= 0 ? 0 : 1),
        exit: (code: number) => {
          throw new ExitSignal(code);
        },
        has_capability: (ptr: number, len: number) => (this.capabilities.has(this.str(ptr, len)) ? 1 : 0),
      },
    };
  }

  async instantiate(wasm: Uint8Array): Promise<void> {
    const instance = await WebAssembly.instantiate(
      new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>),
      this.imports(),
    );
    this.exports = instance.exports as Record<string, unknown>;
    this.memory = instance.exports.memory as WebAssembly.Memory;
    (instance.exports._start as () => void)();
  }

  run(name: string): string[] {
    this.logs = [];
    (this.exports[name] as () => void)();
    return this.logs.map((l) => l.message);
  }
}
