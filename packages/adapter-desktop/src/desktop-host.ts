import type { AdapterCallContext, CapabilityOffer, PlatformAdapter, UniversalInstruction } from '@fayger/contracts';
import { createAdapter, type LogOptions } from '@fayger/adapter-core';
import {
  ConfinedFs,
  EnvSource,
  FileKv,
  HttpClient,
  HttpListenService,
  TimerService,
  disposeNodeHostInstance,
  nodeHostHandlers,
  nodeHostOffers,
  type EnvSourceOptions,
  type FsMount,
  type HttpClientOptions,
  type HttpListenOptions,
  type NodeHostServices,
} from '@fayger/node-host';

/** Which shared Node services a desktop app gets, and how they are set up. */
export interface DesktopHostOptions {
  /**
   * Directories the user granted, each mounted at a guest path ("/docs" → ~/Documents). Nothing else on
   * disk is reachable; no mounts, no fs.* capability.
   */
  mounts?: readonly FsMount[];
  /** Host directory for the file-backed kv store; absent: kv is not offered. */
  kvDir?: string;
  /** Environment variables (an allow-list narrows what may ever be exposed); false: env not offered. */
  env?: EnvSourceOptions | false;
  /**
   * Guest logs (default: text on stderr). A text `output` is held back while the terminal UI is on screen
   * (see LogHold).
   */
  log?: LogOptions;
  /** net.http; false: not offered. */
  http?: (HttpClientOptions & { origins?: readonly string[] }) | false;
  /** net.listen (loopback only by default); false: not offered. */
  listen?: (HttpListenOptions & { ports?: readonly number[] }) | false;
}

/**
 * A log stream that writes through to `target`, except while the terminal UI owns the screen: records
 * printed then would be drawn over the UI and lost when it is redrawn, so they wait (bounded) and are
 * written when the UI gives the terminal back.
 */
export class LogHold {
  private held: string[] = [];
  private dropped = 0;
  private holding = false;

  constructor(
    private readonly target: { write(chunk: string): unknown } = process.stderr,
    private readonly max = 1000,
  ) {}

  write(chunk: string): boolean {
    if (!this.holding) {
      this.target.write(chunk);
      return true;
    }
    if (this.held.length >= this.max) {
      this.held.shift();
      this.dropped++;
    }
    this.held.push(chunk);
    return true;
  }

  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    if (this.dropped > 0)
      this.target.write(`(${this.dropped} earlier log records were dropped while the UI was on screen)\n`);
    for (const c of this.held) this.target.write(c);
    this.held = [];
    this.dropped = 0;
  }

  get heldCount(): number {
    return this.held.length;
  }
}

/** The Node services behind a desktop adapter, built from @fayger/node-host. */
export function createDesktopHostServices(
  options: DesktopHostOptions,
  logStream: NonNullable<LogOptions['output']>,
): PlatformAdapter & { services: NodeHostServices } {
  const s: NodeHostServices = {
    log: { ...options.log, output: logStream },
    logFormat: 'text',
    timers: new TimerService(),
  };
  if (options.env !== false) s.env = new EnvSource(options.env ?? {});
  if (options.mounts && options.mounts.length > 0) s.fs = new ConfinedFs({ mounts: options.mounts });
  if (options.kvDir !== undefined) s.kv = new FileKv({ dir: options.kvDir });
  if (options.http !== false) {
    const { origins, ...http } = options.http ?? {};
    s.http = new HttpClient(http);
    if (origins) s.httpOrigins = origins;
  }
  if (options.listen !== false) {
    const { ports, ...listen } = options.listen ?? {};
    s.listen = new HttpListenService(listen);
    if (ports) s.listenPorts = ports;
  }
  return createAdapter(
    {
      id: 'desktop',
      hostKind: 'desktop',
      handlers: nodeHostHandlers(s),
      offers: nodeHostOffers(s),
      dispose: (instanceId) => disposeNodeHostInstance(s, instanceId),
      close: async () => {
        await s.listen?.closeAll();
      },
    },
    { services: s },
  );
}

/**
 * The shared Node host services the desktop adapter delegates every non-desktop op to (log, clock, random,
 * env, timer, fs under granted roots, kv, net). Any PlatformAdapter-shaped object fits.
 */
export interface HostServices {
  available(): readonly CapabilityOffer[];
  handle(instruction: UniversalInstruction, ctx: AdapterCallContext): unknown;
  dispose(instanceId: string): void | Promise<void>;
  close?(): void | Promise<void>;
}
