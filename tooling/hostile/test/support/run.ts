import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { Manifest } from '@fayger/contracts';
import { packBuf } from '@fayger/loader';
import { createEd25519Signer, detectDigestProvider, generateEd25519KeyPair, trustedRootEntry } from '@fayger/security';

const here = dirname(fileURLToPath(import.meta.url));
export const binDir = join(here, '..', '..', 'test-artifacts', 'bin');
export const faygerBin = join(binDir, 'fayger.js');
const preload = join(binDir, 'rss-preload.cjs');

/** Peak RSS every hostile run must stay under. */
export const MAX_RSS_BYTES = 512 * 1024 * 1024;
/** Heap cap of each child (the "small --max-old-space-size"). */
export const HEAP_MB = 256;

// ---- guests -----------------------------------------------------------------------------------------

interface WabtModule {
  parseWat(
    name: string,
    text: string,
    features?: Record<string, boolean>,
  ): { toBinary(o: object): { buffer: Uint8Array }; destroy(): void };
}
const wabt = await (createRequire(import.meta.url)('wabt') as () => Promise<WabtModule>)();

/** Assembles WAT (bulk memory and reference types on: several tables, table.grow, memory.fill). */
export function wat(text: string): Uint8Array {
  const mod = wabt.parseWat('guest.wat', text, {
    bulk_memory: true,
    reference_types: true,
    mutable_globals: true,
    sign_extension: true,
  });
  try {
    return new Uint8Array(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

/** WAT string literal for raw bytes. */
export function watBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += `\\${b.toString(16).padStart(2, '0')}`;
  return s;
}

/** A scratch directory with a throwaway signing key trusted for publisher `hostile.test`. */
export class Lab {
  readonly dir = mkdtempSync(join(tmpdir(), 'fayger-hostile-'));
  readonly roots = join(this.dir, 'trusted-roots.json');
  readonly state = join(this.dir, 'state');
  private readonly kp = generateEd25519KeyPair();
  private n = 0;

  constructor() {
    writeFileSync(
      this.roots,
      JSON.stringify({ version: 1, keys: [trustedRootEntry(this.kp.publicKey, { publishers: ['hostile.test'] })] }),
    );
  }

  /** Packs and signs `wasm` as a single-code-section BuF; returns its path. */
  async pack(
    name: string,
    wasm: Uint8Array,
    opts: { capabilities?: Manifest['capabilities']; quotas?: Manifest['quotas'] } = {},
  ): Promise<string> {
    const bytes = await packBuf(
      {
        id: `hostile.test.${name.replace(/[^A-Za-z0-9]/g, '-')}`,
        version: '1.0.0',
        publisher: 'hostile.test',
        runtime: { interface: '^1.0.0' },
        entry: { section: 'main', export: '_start' },
        capabilities: opts.capabilities ?? [],
        quotas: opts.quotas ?? {},
        security: { sequence: 1 },
      },
      [{ name: 'main', kind: 'code', data: wasm, required: true }],
      { digest: detectDigestProvider(), signers: [createEd25519Signer(this.kp.secretKey)] },
    );
    const path = join(this.dir, `${name}-${++this.n}.buf`);
    writeFileSync(path, bytes);
    return path;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---- running ----------------------------------------------------------------------------------------

export interface RunOutcome {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the bounded timeout had to kill it (it did not exit by itself). */
  timedOut: boolean;
  stderr: string;
  /** Bytes written to stderr in all. */
  stderrBytes: number;
  /** The last 64 KiB of stdout, and how many bytes it wrote in all. */
  stdoutTail: string;
  stdoutBytes: number;
  /** Peak RSS in bytes: max of the exit-time maxRSS and the /proc VmHWM polls. */
  peakRss: number;
  wallMs: number;
  /** The typed error code `fayger run` printed ("fayger run: error CODE"), if any. */
  errorCode: string | undefined;
  /** Parsed `--events json` lines on stderr. */
  events: Array<{ name: string; data: Record<string, unknown> }>;
}

export interface RunOptions {
  /** Kill it after this long (a hostile guest that never exits fails the test; never a verdict on speed). */
  timeoutMs?: number;
  /** Consume stdout only after this many ms (a slow pipe: the child must hold back, not buffer). */
  readStdoutAfterMs?: number;
  /** Consume stderr only after this many ms (a slow reader of the guest's log lines). */
  readStderrAfterMs?: number;
  /** Close stdout after reading this many bytes (`| head -c N`). */
  closeStdoutAfter?: number;
  /** Run this script (bundled in test-artifacts/bin) instead of the CLI. */
  script?: string;
}

function vmHwm(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Runs `node --max-old-space-size=256 fayger.js <args>` (or a bundled script) and watches it. */
export function runChild(args: readonly string[], lab: Lab, o: RunOptions = {}): Promise<RunOutcome> {
  const rssFile = join(lab.dir, `rss-${process.hrtime.bigint()}.txt`);
  const script = o.script ? join(binDir, o.script) : faygerBin;
  const t0 = Date.now();
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--require', preload, script, ...args], {
    cwd: lab.dir,
    env: { ...process.env, FAYGER_STATE_DIR: lab.state, HOSTILE_RSS_FILE: rssFile, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Head and tail of stderr (a flooding guest writes far more than is worth keeping): the tail as chunks, so
  // keeping it costs no copying per chunk.
  let stderrHead = '';
  const tail: Buffer[] = [];
  let tailBytes = 0;
  let stderrBytes = 0;
  let stdoutTail = '';
  let stdoutBytes = 0;
  let hwm = 0;
  const onErr = (c: Buffer) => {
    stderrBytes += c.length;
    if (stderrHead.length < 2 << 20) stderrHead += c.toString();
    else {
      tail.push(c);
      tailBytes += c.length;
      while (tailBytes - tail[0]!.length >= 2 << 20) tailBytes -= tail.shift()!.length;
    }
  };
  if (o.readStderrAfterMs) {
    child.stderr.pause();
    setTimeout(() => {
      child.stderr.on('data', onErr);
      child.stderr.resume();
    }, o.readStderrAfterMs);
  } else child.stderr.on('data', onErr);
  const onOut = (c: Buffer) => {
    stdoutBytes += c.length;
    stdoutTail = (stdoutTail + c.toString('latin1')).slice(-65536);
    if (o.closeStdoutAfter !== undefined && stdoutBytes >= o.closeStdoutAfter) {
      child.stdout.off('data', onOut);
      child.stdout.destroy();
    }
  };
  if (o.readStdoutAfterMs) {
    child.stdout.pause();
    setTimeout(() => {
      child.stdout.on('data', onOut);
      child.stdout.resume();
    }, o.readStdoutAfterMs);
  } else child.stdout.on('data', onOut);
  const poll = setInterval(() => {
    if (child.pid) hwm = Math.max(hwm, vmHwm(child.pid));
  }, 25);
  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, o.timeoutMs ?? 240_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(killer);
      const wallMs = Date.now() - t0;
      // stderr may still be flowing after 'exit'; wait for the stream to end.
      const finish = () => {
        const stderr = tail.length ? `${stderrHead}\n[…]\n${Buffer.concat(tail).toString()}` : stderrHead;
        let peak = hwm;
        if (existsSync(rssFile)) peak = Math.max(peak, Number(readFileSync(rssFile, 'utf8')) * 1024);
        const events: RunOutcome['events'] = [];
        for (const line of stderr.split('\n')) {
          if (!line.startsWith('{')) continue;
          try {
            const e = JSON.parse(line) as { name?: string; data?: Record<string, unknown> };
            if (typeof e.name === 'string') events.push({ name: e.name, data: e.data ?? {} });
          } catch {
            // a log line that happens to start with '{'
          }
        }
        resolve({
          code,
          signal,
          timedOut,
          stderr,
          stderrBytes,
          stdoutTail,
          stdoutBytes,
          peakRss: peak,
          wallMs,
          errorCode: /fayger run: (?:error|guest trapped) ([A-Z0-9_]+)/.exec(stderr)?.[1],
          events,
        });
      };
      if (child.stderr.readableEnded) finish();
      else child.stderr.once('end', finish).once('close', finish);
    });
  });
}

/** `fayger run <buf> --trusted-roots … --host server [extra]`. */
export function fayger(buf: string, lab: Lab, extra: readonly string[] = [], o: RunOptions = {}): Promise<RunOutcome> {
  return runChild(
    ['run', buf, '--trusted-roots', lab.roots, '--host', 'server', '--no-version-store', ...extra],
    lab,
    o,
  );
}

/** One line for the report table (printed by each test: class, exit code, error code, wall time, peak RSS). */
export function row(name: string, r: RunOutcome): string {
  const line = `HOSTILE | ${name} | exit ${r.code ?? r.signal} | ${r.errorCode ?? '-'} | ${(r.wallMs / 1000).toFixed(1)} s | ${(r.peakRss / 1048576).toFixed(0)} MB`;
  console.log(line);
  return line;
}
