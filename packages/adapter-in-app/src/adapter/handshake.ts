import { type FaygerError, isCapabilityName, type CapabilityName } from '@fayger/contracts';
import {
  SUPPORTED_PROTOCOLS,
  type NativeCapability,
  type NativeHello,
  type PermissionAnswer,
} from '../protocol/wire.js';
import { inAppError } from '../errors.js';

const LOCAL_FAMILIES = new Set(['log', 'clock', 'random', 'timer']);
const STATES = new Set(['granted', 'prompt', 'denied']);
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function bad(field: string, expected: string, found: unknown): FaygerError {
  return inAppError({
    code: 'BRIDGE_MALFORMED_MESSAGE',
    phase: 'hello',
    what: 'reading the native hello reply',
    expected: `${expected} at ${field}`,
    found: found === undefined ? 'nothing' : (JSON.stringify(found)?.slice(0, 200) ?? String(found)),
    details: { field },
  });
}

/**
 * Checks what the native side reported about itself. Unknown capability names are dropped (a newer native
 * shell may know more families), and listed in `ignored` so the embedder can see them.
 */
export function parseHello(value: unknown): { hello: NativeHello; ignored: string[] } {
  if (!isObj(value)) throw bad('/value', 'an object { protocol, platform, capabilities }', value);
  if (typeof value.protocol !== 'number') throw bad('/value/protocol', 'a protocol version number', value.protocol);
  if (!SUPPORTED_PROTOCOLS.includes(value.protocol)) {
    throw inAppError({
      code: 'BRIDGE_PROTOCOL_MISMATCH',
      phase: 'hello',
      what: 'agreeing on the bridge protocol',
      expected: `one of versions ${SUPPORTED_PROTOCOLS.join(', ')}`,
      found: `the native side speaks version ${value.protocol}`,
      details: { native: value.protocol, supported: SUPPORTED_PROTOCOLS },
    });
  }
  if (!isObj(value.platform) || typeof value.platform.os !== 'string')
    throw bad('/value/platform', 'an object with an os name', value.platform);
  if (!Array.isArray(value.capabilities))
    throw bad('/value/capabilities', 'an array of capabilities', value.capabilities);
  const ignored: string[] = [];
  const seen = new Set<string>();
  const capabilities: NativeCapability[] = [];
  value.capabilities.forEach((c: unknown, i: number) => {
    if (!isObj(c) || typeof c.name !== 'string')
      throw bad(`/value/capabilities/${i}`, 'an object with a capability name', c);
    if (c.permission !== undefined && !STATES.has(c.permission as string))
      throw bad(`/value/capabilities/${i}/permission`, '"granted", "prompt" or "denied"', c.permission);
    if (c.scope !== undefined && !isObj(c.scope))
      throw bad(`/value/capabilities/${i}/scope`, 'a scope object', c.scope);
    if (c.quota !== undefined && !isObj(c.quota))
      throw bad(`/value/capabilities/${i}/quota`, 'a quota object', c.quota);
    if (!isCapabilityName(c.name) || c.name === 'app' || seen.has(c.name)) {
      ignored.push(c.name);
      return;
    }
    seen.add(c.name);
    capabilities.push(c as unknown as NativeCapability);
  });
  let local: NativeHello['local'];
  if (value.local !== undefined) {
    if (!Array.isArray(value.local) || !value.local.every((l) => typeof l === 'string' && LOCAL_FAMILIES.has(l))) {
      throw bad('/value/local', 'an array of "log", "clock", "random", "timer"', value.local);
    }
    local = value.local as NativeHello['local'];
  }
  const hello: NativeHello = {
    protocol: value.protocol,
    platform: value.platform as NativeHello['platform'],
    capabilities,
    nativeUi: value.nativeUi === true,
  };
  if (local) hello.local = local;
  return { hello, ignored };
}

/** Checks a native permission reply: one answer per asked capability. */
export function parsePermissionReply(
  value: unknown,
  asked: readonly CapabilityName[],
): Map<CapabilityName, PermissionAnswer> {
  const fail = (field: string, expected: string, found: unknown) =>
    inAppError({
      code: 'BRIDGE_MALFORMED_MESSAGE',
      phase: 'permission',
      what: 'reading the native permission answers',
      expected: `${expected} at ${field}`,
      found: found === undefined ? 'nothing' : (JSON.stringify(found)?.slice(0, 200) ?? String(found)),
      details: { field },
    });
  if (!isObj(value) || !Array.isArray(value.answers))
    throw fail('/value/answers', 'an array of { name, granted, reason? }', isObj(value) ? value.answers : value);
  const out = new Map<CapabilityName, PermissionAnswer>();
  value.answers.forEach((a: unknown, i: number) => {
    if (!isObj(a) || typeof a.name !== 'string' || typeof a.granted !== 'boolean')
      throw fail(`/value/answers/${i}`, '{ name: string, granted: boolean }', a);
    if (!(asked as readonly string[]).includes(a.name)) return;
    const ans: PermissionAnswer = { name: a.name, granted: a.granted };
    if (typeof a.reason === 'string') ans.reason = a.reason.slice(0, 512);
    out.set(a.name as CapabilityName, ans);
  });
  for (const name of asked) if (!out.has(name)) throw fail('/value/answers', `an answer for ${name}`, 'none');
  return out;
}
