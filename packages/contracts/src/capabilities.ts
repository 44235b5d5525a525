import { Type, type Static } from 'typebox';

/**
 * Capability names of the v1 catalogue. A capability gates a family of Universal_Instruction ops
 * (see `OP_CAPABILITY` in instructions). Anything not listed here is unknown and never granted.
 */
export const CAPABILITY_NAMES = [
  'log',
  'stdio',
  'clock',
  'random',
  'env',
  'timer',
  'fs.read',
  'fs.write',
  'net.http',
  'net.listen',
  'kv',
  'ui',
  'app',
  'clipboard',
  'notify',
  'open-url',
] as const;
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];

export function isCapabilityName(name: string): name is CapabilityName {
  return (CAPABILITY_NAMES as readonly string[]).includes(name);
}

/** Per-capability usage quota. Each field is optional; absent means "no limit from this side". */
export const CapabilityQuotaSchema = Type.Object(
  {
    /** Maximum number of calls over the instance lifetime. */
    calls: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Maximum bytes moved (read + written, sent + received) over the instance lifetime. */
    bytes: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Maximum sustained calls per second (token bucket, burst = one second's worth). */
    ratePerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  },
  { additionalProperties: false },
);
export type CapabilityQuota = Static<typeof CapabilityQuotaSchema>;

/**
 * Scope arguments of a capability. `roots` for fs.* (virtual guest paths map to host directories by the
 * adapter), `origins` for net.http (scheme://host[:port]), `ports` for net.listen, `variables` for env,
 * `namespaces` for kv. An absent field means "unscoped" where the capability allows it.
 */
export const CapabilityScopeSchema = Type.Object(
  {
    roots: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), { maxItems: 64 })),
    origins: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { maxItems: 64 })),
    ports: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 65535 }), { maxItems: 64 })),
    variables: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 256 })),
    namespaces: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 64 })),
  },
  { additionalProperties: false },
);
export type CapabilityScope = Static<typeof CapabilityScopeSchema>;

/** A capability as requested in a BuF manifest. */
export const CapabilityRequestSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    /** Required capabilities must be granted for the instance to enter Running; optional ones may be absent. */
    required: Type.Boolean(),
    scope: Type.Optional(CapabilityScopeSchema),
    quota: Type.Optional(CapabilityQuotaSchema),
    /** Why the app needs it; shown in grant reports and permission prompts. */
    reason: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type CapabilityRequest = Static<typeof CapabilityRequestSchema>;

/** What one side (adapter availability or host policy) offers for a capability. */
export interface CapabilityOffer {
  name: CapabilityName;
  /** Absent: the side does not restrict scope. */
  scope?: CapabilityScope;
  quota?: CapabilityQuota;
}

/** A granted capability with its effective (intersected) scope and quota. */
export interface CapabilityGrant {
  name: CapabilityName;
  scope?: CapabilityScope;
  quota?: CapabilityQuota;
}

/** One line of a grant report: what was asked, what each side allowed, the outcome and why. */
export interface GrantReportEntry {
  name: string;
  required: boolean;
  requested: { scope?: CapabilityScope; quota?: CapabilityQuota };
  available: { allowed: boolean; scope?: CapabilityScope; reason?: string };
  policy: { allowed: boolean; scope?: CapabilityScope; quota?: CapabilityQuota; reason?: string };
  granted: boolean;
  grant?: CapabilityGrant;
  /** Human-readable reason for the outcome. */
  reason: string;
}

/** The result of capability negotiation: requested ∩ available ∩ host policy, default deny. */
export interface GrantReport {
  entries: GrantReportEntry[];
  granted: CapabilityGrant[];
  /** Required capabilities that were not granted: the instance cannot enter Running while non-empty. */
  missingRequired: string[];
  /** Optional capabilities that were not granted: reported to the guest as absent. */
  absentOptional: string[];
}
