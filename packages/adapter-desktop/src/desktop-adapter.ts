import { composeAdapter, probeHost, readGlobal, type AdapterCandidate } from '@fayger/adapter-core';
import type { CapabilityName, EventSink, HostProbe, PlatformAdapter } from '@fayger/contracts';
import { createDesktopHostServices, LogHold, type DesktopHostOptions, type HostServices } from './desktop-host.js';
import { DesktopServices, type DesktopServicesOptions } from './desktop-services.js';

export type { HostServices } from './desktop-host.js';

export interface DesktopAdapterOptions extends DesktopServicesOptions, DesktopHostOptions {
  /** Adapter id (default "desktop"). */
  id?: string;
  /**
   * Replaces the Node services built from @fayger/node-host (mounts, kvDir, env, log, http, listen are then
   * ignored): for embedders with their own host services, and tests.
   */
  host?: HostServices;
  /** The diagnostics channel: failed host calls are reported as `adapter.host.error` events. */
  diagnostics?: EventSink;
}

/** The desktop adapter, with its desktop services reachable for diagnostics and tests. */
export interface DesktopAdapter extends PlatformAdapter {
  readonly desktop: DesktopServices;
}

const DESKTOP_CAPABILITIES: ReadonlySet<CapabilityName> = new Set(['ui', 'clipboard', 'notify', 'open-url']);

/** A Node process whose stdin and stdout are both terminals: a user is at the keyboard. */
export function detectDesktop(probe: HostProbe): number | false {
  const facts = probeHost(probe);
  // An Electron renderer or in-app WebView has `process` too, but draws with the DOM.
  if (!facts.node || facts.dom) return false;
  const tty = (stream: string) => readGlobal(probe.global, 'process', stream, 'isTTY') === true;
  // Scores above the plain-Node (server) match, so a terminal session picks desktop.
  return tty('stdin') && tty('stdout') ? 2 : false;
}

/**
 * The Platform_Adapter for Node with a user terminal: the shared Node host services, composed with the
 * desktop's own ops — ui.* drawn in the terminal, clipboard, notifications and open-url through the OS tools
 * that exist.
 */
export function createDesktopAdapter(options: DesktopAdapterOptions): DesktopAdapter {
  const {
    id = 'desktop',
    mounts,
    kvDir,
    env,
    log,
    http,
    listen,
    host: given,
    diagnostics,
    ...servicesOptions
  } = options;
  const output = log?.output ?? process.stderr;
  const logs = typeof output === 'object' ? new LogHold(output) : undefined;
  const host: PlatformAdapter = given
    ? {
        id,
        hostKind: 'desktop',
        detect: () => 0,
        ...given,
        available: () => given.available(),
        handle: (i, c) => given.handle(i, c),
        dispose: (i) => given.dispose(i),
        close: () => given.close?.(),
      }
    : createDesktopHostServices({ mounts, kvDir, env, log, http, listen }, logs ?? output);
  const desktop = new DesktopServices({
    ...servicesOptions,
    onUiScreen: (on) => {
      if (on) logs?.hold();
      else logs?.release();
      servicesOptions.onUiScreen?.(on);
    },
  });
  const adapter = composeAdapter(host, {
    id,
    hostKind: 'desktop',
    detect: detectDesktop,
    // The desktop decides its own families; the shared services decide the rest.
    offers: (base) => [...base.filter((o) => !DESKTOP_CAPABILITIES.has(o.name)), ...desktop.offers()],
    handlers: {
      'ui.render': (a, ctx) => desktop.render(a, ctx),
      'ui.clear': (a, ctx) => desktop.clear(a, ctx),
      'clipboard.read': (a, ctx) => desktop.clipboardRead(a, ctx),
      'clipboard.write': (a, ctx) => desktop.clipboardWrite(a, ctx),
      'notify.send': (a, ctx) => desktop.notify(a, ctx),
      'url.open': (a, ctx) => desktop.openUrl(a, ctx),
    },
    dispose: (instanceId) => desktop.dispose(instanceId),
    close: () => desktop.close(),
    ...(diagnostics ? { diagnostics } : {}),
  });
  return Object.assign(adapter, { desktop });
}

/** The desktop adapter as a lazy candidate: OS tools are probed only if detection (or `force`) picks it. */
export function desktopAdapterCandidate(
  options: DesktopAdapterOptions | (() => DesktopAdapterOptions),
): AdapterCandidate {
  return {
    id: 'desktop',
    hostKind: 'desktop',
    detect: detectDesktop,
    create: () => createDesktopAdapter(typeof options === 'function' ? options() : options),
  };
}
