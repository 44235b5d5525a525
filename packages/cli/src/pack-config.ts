import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { FaygerError, checkManifest, type Manifest } from '@fayger/contracts';

const Selector = Type.Array(Type.String({ minLength: 1 }));

export const PackSectionSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    kind: Type.Union([Type.Literal('code'), Type.Literal('data'), Type.Literal('assets'), Type.Literal('custom')]),
    /** Path of the body, relative to the pack directory (must stay inside it). */
    file: Type.String({ minLength: 1 }),
    required: Type.Optional(Type.Boolean()),
    hosts: Type.Optional(Selector),
    features: Type.Optional(Selector),
    locales: Type.Optional(Selector),
    priority: Type.Optional(Type.Integer()),
    /** Names of other sections. */
    dependsOn: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** Per-chunk digests for verifiable Range reads (power of two ≥ 4096). */
    chunkSize: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** fayger.pack.json: what `fayger pack <dir>` builds. */
export const PackConfigSchema = Type.Object(
  {
    /** The manifest: a path relative to the pack directory, or the manifest object itself. */
    manifest: Type.Union([Type.String({ minLength: 1 }), Type.Record(Type.String(), Type.Unknown())]),
    sections: Type.Array(PackSectionSchema, { minItems: 1 }),
    /** Section alignment in bytes (power of two, default 8). */
    alignment: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

export type PackSection = Static<typeof PackSectionSchema>;
export type PackConfig = Static<typeof PackConfigSchema>;

// Compiled on first use, not at import: start-up of commands that never read one stays free of it.
const compile = () => Compile(PackConfigSchema);
let compiled: ReturnType<typeof compile> | undefined;
const checker = () => (compiled ??= compile());

function field(pointer: string): string {
  return pointer === ''
    ? '(document)'
    : pointer
        .split('/')
        .slice(1)
        .reduce((a, p) => (/^\d+$/.test(p) ? `${a}[${p}]` : a ? `${a}.${p}` : p), '');
}

export function invalidConfig(file: string, fieldName: string, expected: string, found: string): FaygerError {
  return new FaygerError({
    code: 'CLI_PACK_CONFIG_INVALID',
    phase: 'pack',
    what: `reading ${file} (field ${fieldName})`,
    expected,
    found,
    details: { file, field: fieldName },
  });
}

export function parsePackConfig(text: string, file: string): PackConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw invalidConfig(file, '(document)', 'JSON', `unparsable text (${(err as Error).message})`);
  }
  const check = checker();
  if (!check.Check(doc)) {
    const e = [...check.Errors(doc)].find((x) => x.keyword !== 'boolean');
    throw invalidConfig(file, field(e?.instancePath ?? ''), e?.message ?? 'a valid pack config', 'something else');
  }
  return doc as PackConfig;
}

export function parseManifestValue(value: unknown, file: string): Manifest {
  const problems = checkManifest(value);
  if (problems.length) {
    throw invalidConfig(file, 'manifest', 'a valid BuF manifest', problems.slice(0, 5).join('; '));
  }
  return value as Manifest;
}
