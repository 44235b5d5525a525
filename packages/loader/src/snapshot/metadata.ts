import {
  FaygerError,
  isCapabilityName,
  parseSemVer,
  type CapabilityGrant,
  type InstanceSnapshot,
  type SnapshotCallInfo,
  type SnapshotResource,
} from '@fayger/contracts';
import { IDENT_RE, MAX_IDENT_LENGTH } from '../format/constants.js';

/**
 * The snapshot metadata (docs/spec/snapshot-v1.md §3): the InstanceSnapshot without its binary parts (engine
 * state, memories), as the canonical JSON stored in the container's manifest region. Validated field by field
 * on both sides: the writer refuses what the reader would reject.
 */
export interface SnapshotMetadata {
  version: 1;
  app: { id: string; version: string };
  codeDigest: string;
  entry: string;
  engine: {
    engine: string;
    stateVersion: number;
    fuelUsed: number;
    calls: SnapshotCallInfo[];
    /** Number of linear memories (sections `memory.0` … `memory.<n-1>`). */
    memories: number;
  };
  grants: CapabilityGrant[];
  pending?: { op: string; capability?: string };
  resources: SnapshotResource[];
  origin: { hostKind: string; takenAt: string };
}

/** Caps on counts a hostile file could inflate (docs/spec/snapshot-v1.md §7). */
export const MAX_MEMORIES = 256;
export const MAX_CALLS = 4096;
export const MAX_RESOURCES = 65_536;
export const MAX_GRANTS = 256;
const MAX_STRING = 4096;

export const CODE_DIGEST_RE = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** Thrown by the validators; the caller turns it into SNAPSHOT_MALFORMED with its own phase. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${field}: expected ${expected}, found ${found}`);
  }
}

const show = (v: unknown): string => {
  if (v === undefined) return 'nothing (missing)';
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : v instanceof Uint8Array ? `${v.length} bytes` : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  if (s === undefined) s = typeof v;
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};

function fail(field: string, expected: string, v: unknown): never {
  throw new FieldError(field, expected, show(v));
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function object(field: string, v: unknown, required: readonly string[], optional: readonly string[] = []) {
  if (!isPlain(v)) fail(field, 'an object', v);
  for (const k of Object.keys(v)) {
    if (v[k] === undefined) continue;
    if (!required.includes(k) && !optional.includes(k))
      fail(`${field}.${k}`, `no such member (allowed: ${[...required, ...optional].join(', ')})`, k);
  }
  for (const k of required) if (v[k] === undefined) fail(`${field}.${k}`, 'a value', undefined);
  return v;
}

function str(field: string, v: unknown, max = MAX_STRING, min = 1): string {
  if (typeof v !== 'string' || v.length < min || v.length > max) fail(field, `a string of ${min}..${max} chars`, v);
  return v;
}

function ident(field: string, v: unknown): string {
  if (typeof v !== 'string' || v.length > MAX_IDENT_LENGTH || !IDENT_RE.test(v))
    fail(field, 'an identifier of [A-Za-z0-9_.:/@+-], 1..255 chars', v);
  return v;
}

function int(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    fail(field, `an integer ${min}..${max}`, v);
  return v;
}

function array<T>(field: string, v: unknown, max: number, item: (f: string, x: unknown) => T): T[] {
  if (!Array.isArray(v)) fail(field, 'an array', v);
  if (v.length > max) fail(field, `at most ${max} items`, `${v.length} items`);
  return v.map((x, i) => item(`${field}[${i}]`, x));
}

/** Any JSON value (resource data): plain objects, arrays, strings, finite numbers, booleans, null; bounded depth. */
function json(field: string, v: unknown, depth = 0): void {
  if (depth > 32) fail(field, 'JSON nested at most 32 levels', 'deeper nesting');
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Object.is(v, -0)) fail(field, 'a finite JSON number', v);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => json(`${field}[${i}]`, x, depth + 1));
    return;
  }
  if (isPlain(v)) {
    for (const [k, x] of Object.entries(v)) if (x !== undefined) json(`${field}.${k}`, x, depth + 1);
    return;
  }
  fail(field, 'a JSON value', typeof v);
}

function strings(field: string, v: unknown, max: number, maxLen: number): string[] {
  return array(field, v, max, (f, x) => str(f, x, maxLen));
}

function grant(field: string, v: unknown): CapabilityGrant {
  const g = object(field, v, ['name'], ['scope', 'quota']);
  if (typeof g.name !== 'string' || !isCapabilityName(g.name)) fail(`${field}.name`, 'a v1 capability name', g.name);
  const out: CapabilityGrant = { name: g.name };
  if (g.scope !== undefined) {
    const s = object(`${field}.scope`, g.scope, [], ['roots', 'origins', 'ports', 'variables', 'namespaces']);
    const scope: Record<string, unknown> = {};
    if (s.roots !== undefined) scope.roots = strings(`${field}.scope.roots`, s.roots, 64, 4096);
    if (s.origins !== undefined) scope.origins = strings(`${field}.scope.origins`, s.origins, 64, 2048);
    if (s.ports !== undefined) scope.ports = array(`${field}.scope.ports`, s.ports, 64, (f, x) => int(f, x, 0, 65535));
    if (s.variables !== undefined) scope.variables = strings(`${field}.scope.variables`, s.variables, 256, 256);
    if (s.namespaces !== undefined) scope.namespaces = strings(`${field}.scope.namespaces`, s.namespaces, 64, 256);
    out.scope = scope;
  }
  if (g.quota !== undefined) {
    const q = object(`${field}.quota`, g.quota, [], ['calls', 'bytes', 'ratePerSecond']);
    const quota: Record<string, number> = {};
    if (q.calls !== undefined) quota.calls = int(`${field}.quota.calls`, q.calls, 0, Number.MAX_SAFE_INTEGER);
    if (q.bytes !== undefined) quota.bytes = int(`${field}.quota.bytes`, q.bytes, 0, Number.MAX_SAFE_INTEGER);
    if (q.ratePerSecond !== undefined) {
      if (typeof q.ratePerSecond !== 'number' || !Number.isFinite(q.ratePerSecond) || q.ratePerSecond <= 0)
        fail(`${field}.quota.ratePerSecond`, 'a number > 0', q.ratePerSecond);
      quota.ratePerSecond = q.ratePerSecond;
    }
    out.quota = quota;
  }
  return out;
}

function call(field: string, v: unknown): SnapshotCallInfo {
  const c = object(field, v, ['export', 'waiting']);
  if (typeof c.waiting !== 'boolean') fail(`${field}.waiting`, 'a boolean', c.waiting);
  return { export: str(`${field}.export`, c.export, 256), waiting: c.waiting };
}

function resource(field: string, v: unknown): SnapshotResource {
  const r = object(field, v, ['kind', 'handle', 'data'], ['capability']);
  if (!isPlain(r.data)) fail(`${field}.data`, 'an object', r.data);
  const data = r.data;
  json(`${field}.data`, data);
  return {
    kind: ident(`${field}.kind`, r.kind),
    handle: int(`${field}.handle`, r.handle, 0, 0xffffffff),
    ...(r.capability !== undefined ? { capability: str(`${field}.capability`, r.capability, 64) } : {}),
    data: data as Record<string, unknown>,
  };
}

/** Validates a metadata value (decoded from JSON, or built from an InstanceSnapshot) and returns a clean copy. */
export function checkMetadata(v: unknown): SnapshotMetadata {
  const m = object(
    'metadata',
    v,
    ['version', 'app', 'codeDigest', 'entry', 'engine', 'grants', 'resources', 'origin'],
    ['pending'],
  );
  if (m.version !== 1) fail('version', '1 (InstanceSnapshot version)', m.version);
  const app = object('app', m.app, ['id', 'version']);
  const appVersion = str('app.version', app.version, 256);
  if (!parseSemVer(appVersion)) fail('app.version', 'a semver version', appVersion);
  if (typeof m.codeDigest !== 'string' || !CODE_DIGEST_RE.test(m.codeDigest))
    fail('codeDigest', 'the code section SHA-256 as 64 lowercase hex digits', m.codeDigest);
  const e = object('engine', m.engine, ['engine', 'stateVersion', 'fuelUsed', 'calls', 'memories']);
  const engine = {
    engine: ident('engine.engine', e.engine),
    stateVersion: int('engine.stateVersion', e.stateVersion, 0, 0xffffffff),
    fuelUsed: int('engine.fuelUsed', e.fuelUsed, 0, Number.MAX_SAFE_INTEGER),
    calls: array('engine.calls', e.calls, MAX_CALLS, call),
    memories: int('engine.memories', e.memories, 0, MAX_MEMORIES),
  };
  let pending: SnapshotMetadata['pending'];
  if (m.pending !== undefined) {
    const p = object('pending', m.pending, ['op'], ['capability']);
    pending = {
      op: str('pending.op', p.op, 256),
      ...(p.capability !== undefined ? { capability: str('pending.capability', p.capability, 64) } : {}),
    };
  }
  const origin = object('origin', m.origin, ['hostKind', 'takenAt']);
  const takenAt = str('origin.takenAt', origin.takenAt, 64);
  if (!ISO_UTC.test(takenAt) || Number.isNaN(Date.parse(takenAt)))
    fail('origin.takenAt', 'an ISO 8601 UTC date-time (YYYY-MM-DDThh:mm:ss[.f]Z)', takenAt);
  return {
    version: 1,
    app: { id: ident('app.id', app.id), version: appVersion },
    codeDigest: m.codeDigest,
    entry: str('entry', m.entry, 256),
    engine,
    grants: array('grants', m.grants, MAX_GRANTS, grant),
    ...(pending ? { pending } : {}),
    resources: array('resources', m.resources, MAX_RESOURCES, resource),
    origin: { hostKind: ident('origin.hostKind', origin.hostKind), takenAt },
  };
}

/** The metadata of an InstanceSnapshot (what the writer stores); unknown members are kept so they are refused. */
export function metadataOf(s: InstanceSnapshot): unknown {
  if (!isPlain(s)) return s;
  const { engine, ...rest } = s as unknown as Record<string, unknown>;
  if (!isPlain(engine)) return { ...rest, engine };
  const { memories, state: _state, ...engineRest } = engine;
  return { ...rest, engine: { ...engineRest, memories: Array.isArray(memories) ? memories.length : memories } };
}

export function malformed(phase: string, what: string, err: FieldError, extra: Record<string, unknown> = {}) {
  return new FaygerError({
    code: 'SNAPSHOT_MALFORMED',
    phase,
    what: `${what} (field ${err.field})`,
    expected: err.expected,
    found: err.found,
    details: { field: err.field, ...extra },
  });
}
