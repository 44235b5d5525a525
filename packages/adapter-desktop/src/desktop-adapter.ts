import { createOpRouter, defineAdapter, probeHost } from '@fayger/adapter-core';
import type { AdapterCallContext, CapabilityName, CapabilityOffer, HostProbe, OpName, PlatformAdapter, UniversalInstruction } from '@fayger/contracts';
import { createDesktopHostServices, LogHold, type DesktopHostOptions, type HostServices } from './desktop-host.js';

export type { HostServices } from './desktop-host.js';
import { DesktopServices, type DesktopServicesOptions } from './desktop-services.js';


export interface DesktopAdapterOptions extends DesktopServicesOptions, DesktopHostOptions {
  /** Adapter id (default "desktop"). */
  id?: string;
  /** Where log records go (default process.stderr); held back while the terminal UI is on screen. */
  logOutput?: { write(chunk: string): unknown };
  /**
   * Replaces the Node services built from @fayger/node-host (roots, kvDir, env, log, http, listen are then
   * ignored): for embedders with their own host services, and tests.
   */
  host?: HostServices;
}

/** The desktop adapter, with its desktop services reachable for diagnostics and tests. */
export interface DesktopAdapter extends PlatformAdapter {
  readonly desktop: DesktopServices;
}

const DESKTOP_CAPABILITIES: ReadonlySet<CapabilityName> = new Set(['ui', 'clipboard', 'notify', 'open-url']);
const DESKTOP_OPS: ReadonlySet<OpName> = new Set(['ui.render', 'ui.clear', 'clipboard.read', 'clipboard.write', 'notify.send', 'url.open']);

/** A Node process whose stdin and stdout are both terminals: a user is at the keyboard. */
export function detectDesktop(probe: HostProbe): number | false {
  const facts = probeHost(probe);
  // An Electron renderer or in-app WebView has `process` too, but draws with the DOM.
  if (!facts.node || facts.dom || facts.bridge) return false;
  const proc = probe.global.process as { stdin?: { isTTY?: unknown }; stdout?: { isTTY?: unknown } } | undefined;
  // Scores above the plain-Node (server) match, so a terminal session picks desktop.
  return proc?.stdin?.isTTY === true && proc?.stdout?.isTTY === true ? 2 : false;
}

/**
 * The Platform_Adapter for Node with a user terminal: ui.* drawn in the terminal, clipboard, notifications
 * and open-url through the OS tools that exist, everything else from the shared Node host services.
 */
export function createDesktopAdapter(options: DesktopAdapterOptions): DesktopAdapter {
  const { id = 'desktop', roots, kvDir, env, log, http, listen, logOutput, ...servicesOptions } = options;
  const logs = new LogHold(logOutput ?? process.stderr);
  const host = options.host ?? createDesktopHostServices({ roots, kvDir, env, log, http, listen }, logs);
  const desktop = new DesktopServices({
    ...servicesOptions,
    onUiScreen: (on) => {
      if (on) logs.hold();
      else logs.release();
      servicesOptions.onUiScreen?.(on);
    },
  });
  const desktopOps = createOpRouter(
    {
      'ui.render': (a, ctx) => desktop.render(a, ctx),
      'ui.clear': (a, ctx) => desktop.clear(a, ctx),
      'clipboard.read': (a, ctx) => desktop.clipboardRead(a, ctx),
      'clipboard.write': (a, ctx) => desktop.clipboardWrite(a, ctx),
      'notify.send': (a, ctx) => desktop.notify(a, ctx),
      'url.open': (a, ctx) => desktop.openUrl(a, ctx),
    },
    id,
  );
  return defineAdapter({
    id,
    hostKind: 'desktop',
    desktop,
    available() {
      // The desktop decides its own families; the shared services decide the rest.
      const shared = host.available().filter((o) => !DESKTOP_CAPABILITIES.has(o.name));
      return [...shared, ...desktop.offers()];
    },
    detect: detectDesktop,
    handle(ins: UniversalInstruction, ctx: AdapterCallContext) {
      return DESKTOP_OPS.has(ins.op) ? desktopOps(ins, ctx) : host.handle(ins, ctx);
    },
    async dispose(instanceId: string) {
      desktop.dispose(instanceId);
      await host.dispose(instanceId);
    },
    async close() {
      desktop.close();
      await host.close?.();
    },
  });
}
