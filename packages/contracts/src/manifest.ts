import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { CapabilityRequestSchema } from './capabilities.js';
import { parseSemVer, parseSemVerRange } from './semver.js';

/**
 * BuF_Manifest v1 (docs/spec/buf-v1.md §4). Stored in the artifact as canonical JSON (sorted keys, no
 * insignificant whitespace); the loader rejects any manifest whose bytes are not the canonical form of
 * the value they parse to. Unknown fields are rejected; extension data goes under `extensions`.
 */

const Identifier = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_@][A-Za-z0-9_.:/@+-]*$' });

export const ManifestRuntimeSchema = Type.Object(
  {
    /** Semver range of Runtime_Interface versions the artifact works with, e.g. "^1.0.0". */
    interface: Type.String({ minLength: 1, maxLength: 256 }),
    /** Runtime_Implementation policy. */
    implementation: Type.Optional(
      Type.Object(
        {
          /** Implementation names in order of preference (e.g. "@fayger/interpreter"). */
          preferred: Type.Optional(Type.Array(Identifier(128), { maxItems: 16 })),
          /** Features the chosen implementation must support (e.g. "simd", "bulk-memory"). */
          requiredFeatures: Type.Optional(Type.Array(Identifier(64), { maxItems: 64 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const ManifestEntrySchema = Type.Object(
  {
    /** Name of the code section holding the WebAssembly module to instantiate. */
    section: Identifier(128),
    /** Export to call after instantiation (e.g. "_start"). */
    export: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const ManifestQuotasSchema = Type.Object(
  {
    /** Fuel units for the whole run (deterministic instruction metering). */
    fuel: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Maximum linear-memory pages (64 KiB each). */
    memoryPages: Type.Optional(Type.Integer({ minimum: 0, maximum: 65536 })),
    /** Wall-clock budget in milliseconds. */
    wallTimeMs: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Maximum guest call depth. */
    callDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    /** Maximum table elements, all tables together. */
    tableElements: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Maximum host calls per second (token bucket). */
    hostCallsPerSecond: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Maximum bytes of guest output (stdout, stderr and log messages together). */
    outputBytes: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const ManifestSecuritySchema = Type.Object(
  {
    /** Monotonic release counter: a loader refuses a sequence lower than one it has already seen. */
    sequence: Type.Integer({ minimum: 0, maximum: 9007199254740991 }),
    /** Expiry (RFC 3339 UTC, e.g. "2030-01-01T00:00:00Z"); after it the artifact is refused. */
    expires: Type.Optional(
      Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$', maxLength: 40 }),
    ),
  },
  { additionalProperties: false },
);

export const ManifestSchema = Type.Object(
  {
    /** Artifact identity, stable across releases (rollback protection is keyed on it). */
    id: Identifier(256),
    /** Artifact release version (semver). */
    version: Type.String({ minLength: 5, maxLength: 256 }),
    /** Publisher identity; trusted keys are scoped to publishers. */
    publisher: Identifier(256),
    runtime: ManifestRuntimeSchema,
    entry: ManifestEntrySchema,
    capabilities: Type.Array(CapabilityRequestSchema, { maxItems: 256 }),
    /** Resource quotas; optional (absent or {}: the host's defaults and caps apply). */
    quotas: Type.Optional(ManifestQuotasSchema),
    security: ManifestSecuritySchema,
    /** Free-form, namespaced extension data; never interpreted by the loader. */
    extensions: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export type ManifestRuntime = Static<typeof ManifestRuntimeSchema>;
export type ManifestEntry = Static<typeof ManifestEntrySchema>;
export type ManifestQuotas = Static<typeof ManifestQuotasSchema>;
export type ManifestSecurity = Static<typeof ManifestSecuritySchema>;
export type Manifest = Static<typeof ManifestSchema>;

/**
 * Validates a manifest value: the schema, plus rules a schema cannot say (semver version and range, unique
 * capability names). Returns one "path: message" line per problem; empty means valid. Interpreted (no code
 * generation) so it runs under CSP and in JIT-less in-app hosts.
 */
export function checkManifest(value: unknown): string[] {
  const problems: string[] = [];
  if (!Value.Check(ManifestSchema, value)) {
    for (const e of Value.Errors(ManifestSchema, value)) {
      problems.push(`${e.instancePath || '/'}: ${e.message}`);
      if (problems.length >= 20) break;
    }
    return problems;
  }
  const m = value as Manifest;
  if (!parseSemVer(m.version)) problems.push(`/version: not a semantic version (${JSON.stringify(m.version)})`);
  if (!parseSemVerRange(m.runtime.interface)) {
    problems.push(`/runtime/interface: not a semver range (${JSON.stringify(m.runtime.interface)})`);
  }
  const seen = new Set<string>();
  m.capabilities.forEach((c, i) => {
    if (seen.has(c.name)) problems.push(`/capabilities/${i}/name: duplicate capability ${JSON.stringify(c.name)}`);
    seen.add(c.name);
  });
  return problems;
}
