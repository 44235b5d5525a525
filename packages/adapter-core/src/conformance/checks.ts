import {
  CAPABILITY_NAMES,
  isCapabilityName,
  type CapabilityName,
  type CapabilityOffer,
  type OpName,
  type PlatformAdapter,
  type UniversalInstruction,
  type UniversalResult,
} from '@fayger/contracts';
import { createInstructionBus } from '../bus/bus.js';
import { opsOf } from '../compose/adapter.js';
import { assertPlatformAdapter } from '../registry.js';

/** Capabilities every adapter must offer: the guest ABI assumes them on every host. */
export const MANDATORY_CAPABILITIES: readonly CapabilityName[] = ['log', 'clock', 'random'];

/** What the contract checks need from the test's setup. */
export interface ContractCheckEnvironment {
  /** A URL answering 200 to GET, for net.http (default: a closed local port; any answer but "unsupported" passes). */
  httpUrl?: string;
}

const GUIDE = 'See docs/adapters.md (what to offer, what is mandatory).';

/**
 * The promises an adapter makes with its offers, checked without vitest so they can be run (and planted
 * violations tested) anywhere: the PlatformAdapter shape; offers only of catalogue capabilities, each once;
 * log, clock and random offered; every op of every offered capability implemented (it may fail for a host
 * reason, never with ADAPTER_UNSUPPORTED_OP); url.open refuses a javascript: URL. Returns one message per broken
 * promise, written for the adapter's author; empty when the adapter keeps them all.
 */
export async function checkAdapterContract(
  adapter: PlatformAdapter,
  env: ContractCheckEnvironment = {},
): Promise<string[]> {
  const problems: string[] = [];
  try {
    assertPlatformAdapter(adapter);
  } catch (e) {
    return [`The adapter does not have the PlatformAdapter shape: ${(e as Error).message}`];
  }
  const label = `adapter "${adapter.id}"`;
  let offers: readonly CapabilityOffer[];
  try {
    offers = adapter.available();
  } catch (e) {
    return [`${label}: available() threw (${String(e)}); it must list the offers without failing.`];
  }
  const names = offers.map((o) => o.name as string);
  for (const n of new Set(names)) {
    if (!isCapabilityName(n)) {
      problems.push(
        `${label} offers "${n}", which is not a capability of the catalogue (${CAPABILITY_NAMES.join(', ')}). A guest can never request it and negotiation never grants it: remove it from available(). ${GUIDE}`,
      );
    }
    if (names.filter((x) => x === n).length > 1)
      problems.push(`${label} offers "${n}" more than once; offer each capability once, with one scope.`);
  }
  for (const m of MANDATORY_CAPABILITIES) {
    if (!names.includes(m)) {
      problems.push(
        `${label} does not offer "${m}", which every adapter must (log, clock and random are mandatory; baselineHandlers() provides all three). ${GUIDE}`,
      );
    }
  }
  const offered = [...new Set(names)].filter((n): n is CapabilityName => isCapabilityName(n) && n !== 'app');
  problems.push(...(await exerciseOffers(adapter, offers, offered, env)));
  return problems;
}

/** Arguments that exercise each op harmlessly (a failure for a host reason is fine; "unsupported" is not). */
function probes(offers: readonly CapabilityOffer[], env: ContractCheckEnvironment): Partial<Record<OpName, unknown>> {
  const root = (cap: CapabilityName) =>
    (offers.find((o) => o.name === cap)?.scope?.roots?.[0] ?? '/data').replace(/(.)\/$/, '$1');
  const r = root('fs.read');
  const w = `${root('fs.write')}/.fayger-conformance-probe`;
  const probe = 'fayger-conformance-probe';
  return {
    'log.write': { level: 'info', message: 'adapter conformance probe' },
    'stdio.write': { stream: 'stdout', data: new Uint8Array(0) },
    'stdio.read': { maxBytes: 1 },
    'stdio.poll': { timeoutMs: 0 },
    'clock.now': { clock: 'monotonic' },
    'random.bytes': { length: 1 },
    'env.get': { name: 'FAYGER_CONFORMANCE_PROBE' },
    'env.list': {},
    'timer.sleep': { ms: 1 },
    'timer.set': { timerId: probe, ms: 600_000 },
    'timer.clear': { timerId: probe },
    'fs.read': { path: `${r}/.fayger-conformance-missing` },
    'fs.stat': { path: r },
    'fs.list': { path: r },
    'fs.write': { path: `${w}.txt`, data: new Uint8Array([1]) },
    'fs.mkdir': { path: `${w}-dir` },
    'fs.rename': { from: `${w}.txt`, to: `${w}-renamed.txt` },
    'fs.remove': { path: `${w}-renamed.txt` },
    'net.http': { method: 'GET', url: env.httpUrl ?? 'http://127.0.0.1:9/' },
    'net.listen.start': { port: 0, host: '127.0.0.1' },
    'net.listen.respond': { requestId: probe, status: 200 },
    'net.listen.stop': { listenerId: probe },
    'kv.get': { key: probe },
    'kv.set': { key: probe, value: new Uint8Array([1]) },
    'kv.list': { prefix: probe },
    'kv.delete': { key: probe },
    'ui.render': { tree: { type: 'text', text: 'adapter conformance probe' } },
    'ui.clear': {},
    'clipboard.read': {},
    'clipboard.write': { text: '' },
    'notify.send': { title: 'Fayger adapter conformance', body: 'A test checked that notifications work.' },
    'url.open': { url: 'javascript:void 0' },
  };
}

async function exerciseOffers(
  adapter: PlatformAdapter,
  offers: readonly CapabilityOffer[],
  offered: CapabilityName[],
  env: ContractCheckEnvironment,
): Promise<string[]> {
  const problems: string[] = [];
  const bus = createInstructionBus({ adapter, policy: { allow: 'available' }, defaultTimeoutMs: 5000 });
  const instanceId = 'conformance-offers';
  bus.open({ instanceId, grants: bus.negotiate(offered.map((name) => ({ name, required: false }))).granted });
  const args = probes(offers, env);
  let n = 0;
  let listener: string | undefined;
  let clipboardText: string | undefined;
  const run = async (op: OpName, a: unknown): Promise<UniversalResult> =>
    bus.dispatch({
      v: 1,
      id: `probe-${++n}`,
      op,
      args: a,
      instanceId,
      ...(op === 'stdio.read' ? { timeoutMs: 500 } : {}),
    } as UniversalInstruction);
  try {
    for (const cap of offered) {
      const unsupported: string[] = [];
      for (const op of opsOf(cap)) {
        let a = args[op];
        if (op === 'net.listen.stop') a = { listenerId: listener ?? 'fayger-conformance-probe' };
        if (op === 'clipboard.write' && clipboardText !== undefined) a = { text: clipboardText };
        const res = await run(op, a);
        if (op === 'net.listen.start' && res.ok) listener = (res.value as { listenerId: string }).listenerId;
        if (op === 'clipboard.read' && res.ok) clipboardText = (res.value as { text: string }).text;
        if (!res.ok && res.error.code === 'ADAPTER_UNSUPPORTED_OP') unsupported.push(op);
        if (!res.ok && res.error.code === 'RESULT_INVALID') {
          problems.push(
            `adapter "${adapter.id}" answered ${op} with a result that does not match its schema: ${res.error.message} Return exactly the op's result shape (see OP_CATALOGUE in @fayger/contracts).`,
          );
        }
        if (op === 'url.open' && res.ok) {
          problems.push(
            `adapter "${adapter.id}" opened "javascript:void 0" with url.open; it must refuse anything but absolute http(s) URLs (parseOpenableUrl in @fayger/adapter-core does this).`,
          );
        }
      }
      if (unsupported.length > 0) {
        problems.push(
          `adapter "${adapter.id}" offers "${cap}" but does not implement ${unsupported.join(', ')}. A guest granted ${cap} would fail at run time with no warning. Add handlers for every op of ${cap} (${opsOf(cap).join(', ')}), or stop offering it. ${GUIDE}`,
        );
      }
    }
  } finally {
    await bus.shutdown().catch(() => {});
  }
  return problems;
}
