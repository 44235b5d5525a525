import { checkSchema, isCapabilityName, type CapabilityName } from '@fayger/contracts';
import { Type, type TSchema } from 'typebox';
import { inAppError } from '../errors.js';
import {
  SUPPORTED_PROTOCOLS,
  type NativeCapability,
  type NativeHello,
  type PermissionAnswer,
} from '../protocol/wire.js';

const Obj = Type.Object({});
const HelloSchema = Type.Object({
  protocol: Type.Number(),
  platform: Type.Object({ os: Type.String() }),
  capabilities: Type.Array(
    Type.Object({
      name: Type.String(),
      permission: Type.Optional(Type.Union([Type.Literal('granted'), Type.Literal('prompt'), Type.Literal('denied')])),
      scope: Type.Optional(Obj),
      quota: Type.Optional(Obj),
    }),
  ),
  local: Type.Optional(Type.Array(Type.Union(['log', 'clock', 'random', 'timer'].map((l) => Type.Literal(l))))),
});
const PermissionReplySchema = Type.Object({
  answers: Type.Array(Type.Object({ name: Type.String(), granted: Type.Boolean() })),
});

/** Checks a native reply against its schema: BRIDGE_MALFORMED_MESSAGE naming the first field at fault. */
function check(schema: TSchema, value: unknown, phase: string, what: string): void {
  checkSchema(schema, value, {
    code: 'BRIDGE_MALFORMED_MESSAGE',
    phase,
    what,
    prefix: '/value',
    hint: 'Fix the native side so it sends the v1 wire protocol described in the @fayger/adapter-in-app README.',
  });
}

/**
 * Checks what the native side reported about itself. Unknown capability names are dropped (a newer native
 * shell may know more families), and listed in `ignored` so the embedder can see them.
 */
export function parseHello(value: unknown): { hello: NativeHello; ignored: string[] } {
  const what = 'reading the native hello reply';
  const protocol = (value as { protocol?: unknown } | null)?.protocol;
  // A shell on another protocol version may send another shape: say so rather than name a field.
  if (typeof protocol === 'number' && !SUPPORTED_PROTOCOLS.includes(protocol)) {
    throw inAppError({
      code: 'BRIDGE_PROTOCOL_MISMATCH',
      phase: 'hello',
      what: 'agreeing on the bridge protocol',
      expected: `one of versions ${SUPPORTED_PROTOCOLS.join(', ')}`,
      found: `the native side speaks version ${protocol}`,
      details: { native: protocol, supported: SUPPORTED_PROTOCOLS },
    });
  }
  check(HelloSchema, value, 'hello', what);
  const v = value as NativeHello & { capabilities: Array<NativeCapability & { name: string }> };
  const ignored: string[] = [];
  const seen = new Set<string>();
  const capabilities = v.capabilities.filter((c) => {
    const known = isCapabilityName(c.name) && c.name !== 'app' && !seen.has(c.name);
    if (known) seen.add(c.name);
    else ignored.push(c.name);
    return known;
  });
  const hello: NativeHello = {
    protocol: v.protocol,
    platform: v.platform,
    capabilities,
    nativeUi: v.nativeUi === true,
  };
  if (v.local) hello.local = v.local;
  return { hello, ignored };
}

/** Checks a native permission reply: one answer per asked capability. */
export function parsePermissionReply(
  value: unknown,
  asked: readonly CapabilityName[],
): Map<CapabilityName, PermissionAnswer> {
  const what = 'reading the native permission answers';
  check(PermissionReplySchema, value, 'permission', what);
  const out = new Map<CapabilityName, PermissionAnswer>();
  for (const a of (value as { answers: Array<PermissionAnswer & { reason?: unknown }> }).answers) {
    if (!(asked as readonly string[]).includes(a.name)) continue;
    const ans: PermissionAnswer = { name: a.name, granted: a.granted };
    if (typeof a.reason === 'string') ans.reason = a.reason.slice(0, 512);
    out.set(a.name as CapabilityName, ans);
  }
  const missing = asked.find((name) => !out.has(name));
  if (missing !== undefined) {
    throw inAppError({
      code: 'BRIDGE_MALFORMED_MESSAGE',
      phase: 'permission',
      what,
      expected: `an answer for ${missing} at /value/answers`,
      found: 'nothing',
      details: { field: '/value/answers' },
    });
  }
  return out;
}
