import type { BridgeTransport } from '../../src/index.js';

/** A string transport whose native side is the test: it sees sent text and injects replies. */
export function fakeStringTransport(): BridgeTransport & {
  sent: unknown[];
  inject(m: unknown): void;
  failSend?: Error;
} {
  let receive: ((m: unknown) => void) | undefined;
  const t = {
    kind: 'fake',
    structured: false,
    sent: [] as unknown[],
    failSend: undefined as Error | undefined,
    send(m: unknown) {
      if (t.failSend) throw t.failSend;
      t.sent.push(m);
    },
    listen(r: (m: unknown) => void) {
      receive = r;
      return () => {
        receive = undefined;
      };
    },
    inject(m: unknown) {
      receive?.(m);
    },
  };
  return t;
}

export const lastSent = (t: { sent: unknown[] }) =>
  JSON.parse(t.sent[t.sent.length - 1] as string) as Record<string, unknown>;
