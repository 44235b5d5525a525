import { Type, type Static } from 'typebox';

/** A publisher scope: an exact publisher name, or a prefix followed by one trailing `*` (`*` alone: any publisher). */
export const PublisherScopeSchema = Type.String({ minLength: 1, pattern: '^[^*]*\\*?$' });

export const TrustedKeyEntrySchema = Type.Object(
  {
    /** Must equal the id derived from the key (`ed25519KeyId`). */
    id: Type.String({ minLength: 1 }),
    algorithm: Type.Literal('ed25519'),
    /** 32-byte public key, hex (64 chars) or base64/base64url. */
    publicKey: Type.String({ minLength: 1 }),
    publishers: Type.Array(PublisherScopeSchema, { minItems: 1 }),
    /** ISO 8601 date-time; the key is not valid before it. */
    notBefore: Type.Optional(Type.String()),
    /** ISO 8601 date-time; the key is not valid after it. */
    notAfter: Type.Optional(Type.String()),
    revoked: Type.Optional(Type.Boolean()),
    /** Free text for people (owner, where the key was checked). */
    comment: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const TrustedRootsSchema = Type.Object(
  {
    version: Type.Literal(1),
    keys: Type.Array(TrustedKeyEntrySchema),
  },
  { additionalProperties: false },
);

export type TrustedKeyEntry = Static<typeof TrustedKeyEntrySchema>;
export type TrustedRootsDocument = Static<typeof TrustedRootsSchema>;
