import { HostLink, remoteError, type HostLinkOptions } from '@fayger/adapter-core';
import type { FaygerError, FaygerErrorData } from '@fayger/contracts';
import type { OutgoingMessage } from '../protocol/wire.js';
import type { BridgeTransport } from './transports.js';
import { bridgeLinkCodes } from '../errors.js';

export type { RequestOptions } from '@fayger/adapter-core';

export interface MessageBridgeOptions extends Omit<HostLinkOptions, 'codes' | 'names'> {
  transport: BridgeTransport;
}

// The in-app bridge fails with this package's registered codes and names the native side in its messages.
const BRIDGE: Pick<HostLinkOptions, 'codes' | 'names'> = {
  codes: bridgeLinkCodes,
  names: { peer: 'native', self: 'the WebView', name: 'bridge' },
};

/** Rebuilds the error a native reply carries: a catalogue code passes through, anything else is BRIDGE_NATIVE_ERROR. */
export function nativeError(error: FaygerErrorData | { message: string; code?: string }, phase: string): FaygerError {
  return remoteError(error, phase, BRIDGE);
}

/**
 * The request/response channel to the native side: adapter-core's `HostLink` (correlation ids, per-request
 * deadlines, cancellation, host events, close) speaking the in-app requests and failing with BRIDGE_* codes.
 */
export class MessageBridge extends HostLink<OutgoingMessage> {
  constructor(options: MessageBridgeOptions) {
    super({ ...options, ...BRIDGE });
  }
}
