import { Type, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { FaygerError, type ErrorCode } from '../index-errors.js';
import { OP_CATALOGUE, OP_NAMES, isOpName, type OpName, type OpResult } from './catalogue.js';
import type { UniversalEvent, UniversalInstruction } from './envelope.js';
import { Bytes, Headers, Obj, Str } from './schema-helpers.js';
import { Literals } from './schema-helpers.js';
import { MAX_UI_DEPTH, UiNodeSchema, uiTreeDepth, type UiNode } from './ui.js';

type Validator = ReturnType<typeof Compile>;

// Validators compile on first use: most hosts see a handful of ops, and compiling all ~30 up front
// would put work on every start-up.
const cache = new Map<TSchema, Validator>();
function validatorFor(schema: TSchema): Validator {
  let v = cache.get(schema);
  if (!v) {
    v = Compile(schema);
    cache.set(schema, v);
  }
  return v;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function fieldAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const part of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

/** How `checkSchema` reports a value that does not match. */
export interface CheckSchemaOptions {
  /** The code to throw (a catalogue code, or one the caller registered). */
  code: ErrorCode;
  phase: string;
  /** What was being read ("reading the native hello reply"). */
  what: string;
  /** JSON pointer of the value inside its message, prefixed to every field named (default ''). */
  prefix?: string;
  /** What to do about it, ending the message. */
  hint?: string;
}

/**
 * Checks `value` against a TypeBox schema (compiled once, cached); otherwise throws `code` naming the most
 * specific failing field as a JSON pointer (`details.field`), what the schema expected and what was found.
 * For adapters checking what their host sends back, as the bus checks instructions.
 */
export function checkSchema(schema: TSchema, value: unknown, o: CheckSchemaOptions): void {
  check(schema, value, o.code, o.what, o.phase, o.prefix ?? '', o.hint);
}

/** Throws `code` naming the first failing field (JSON pointer), what the schema expected and what was found. */
function check(
  schema: TSchema,
  value: unknown,
  code: ErrorCode,
  what: string,
  phase: string,
  prefix: string,
  hint?: string,
): void {
  const v = validatorFor(schema);
  if (v.Check(value)) return;
  const errors = v.Errors(value);
  // Prefer the most specific error: the deepest path; anyOf summaries come after their branches.
  const first = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
  const path = first?.instancePath ?? '';
  let field = `${prefix}${path}`;
  let expected = first?.message ?? 'a value matching the schema';
  let found = describe(fieldAt(value, path));
  const params = (first?.params ?? {}) as { additionalProperties?: string[]; requiredProperties?: string[] };
  if (first?.keyword === 'additionalProperties' || first?.keyword === 'boolean') {
    const name = params.additionalProperties?.[0];
    if (name !== undefined) field = `${prefix}${path}/${name}`;
    expected = 'no such field (it is not part of the schema)';
    found = name !== undefined ? describe(fieldAt(value, `${path}/${name}`)) : found;
  } else if (first?.keyword === 'required') {
    const name = params.requiredProperties?.[0];
    if (name !== undefined) field = `${prefix}${path}/${name}`;
    expected = 'a value (the field is required)';
    found = 'nothing';
  } else if (first?.keyword === 'const') {
    // A union of literals fails once per literal: list them all.
    const allowed = errors
      .filter((e) => e.keyword === 'const' && e.instancePath === path)
      .map((e) => JSON.stringify((e.params as { allowedValue?: unknown }).allowedValue));
    expected = allowed.length > 1 ? `one of ${allowed.join(', ')}` : `${allowed[0]}`;
  } else {
    // typebox says "must be integer"; the message reads "expected a value that is integer".
    const verb: Record<string, string> = { be: 'is', have: 'has', not: 'does not' };
    expected = `a value that ${expected.replace(/^must (be|have|not) /, (_m, w: string) => `${verb[w]} `)}`;
  }
  throw new FaygerError({
    code,
    phase,
    message: `${what}: field ${field || '/'}: expected ${expected}, found ${found}. ${
      hint ??
      (code === 'INSTRUCTION_INVALID'
        ? 'Check the op argument schema in docs/abi.md.'
        : 'Fix the producer so it matches the schema in docs/abi.md.')
    }`,
    details: {
      field,
      keyword: first?.keyword,
      errors: errors.slice(0, 8).map((e) => ({ path: e.instancePath, message: e.message })),
    },
  });
}

/**
 * Every host routes UI events by node id, so interactive nodes (button, input) need one, and ids are unique
 * across the tree. Checked here once so each adapter does not grow its own variant. Iterative: the tree's depth
 * was bounded before the schema check, but its width is not.
 */
function checkUiIds(tree: UiNode): void {
  const seen = new Map<string, string>();
  const stack: Array<[UiNode, string]> = [[tree, '/args/tree']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    const interactive = node.type === 'button' || node.type === 'input';
    if (interactive && node.id === undefined) {
      throw new FaygerError({
        code: 'INSTRUCTION_INVALID',
        phase: 'validate-instruction',
        message: `ui.render arguments: field ${path}/id: expected an id on every ${node.type} (events name the node by it), found nothing. Give the node a unique id.`,
        details: { field: `${path}/id`, op: 'ui.render' },
      });
    }
    if (node.id !== undefined) {
      const first = seen.get(node.id);
      if (first !== undefined) {
        throw new FaygerError({
          code: 'INSTRUCTION_INVALID',
          phase: 'validate-instruction',
          message: `ui.render arguments: field ${path}/id: expected ids unique across the tree, found ${JSON.stringify(node.id)} again (first at ${first}). Rename one of the nodes.`,
          details: { field: `${path}/id`, op: 'ui.render', firstAt: first },
        });
      }
      seen.set(node.id, path);
    }
    node.children?.forEach((c, i) => stack.push([c, `${path}/children/${i}`]));
  }
}

const EnvelopeSchema = Obj({
  v: Type.Literal(1),
  id: Str(128, 1),
  op: Str(64, 1),
  args: Type.Unknown(),
  instanceId: Type.Optional(Str(128, 1)),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
});

/**
 * Validates an instruction at the bus boundary: envelope, op name, then the op's arguments.
 * Returns it typed, or throws INSTRUCTION_INVALID / INSTRUCTION_UNKNOWN_OP naming the field.
 */
export function validateInstruction(value: unknown): UniversalInstruction {
  check(EnvelopeSchema, value, 'INSTRUCTION_INVALID', 'Universal_Instruction envelope', 'validate-instruction', '');
  const ins = value as UniversalInstruction & { op: string };
  if (!isOpName(ins.op)) {
    throw new FaygerError({
      code: 'INSTRUCTION_UNKNOWN_OP',
      phase: 'validate-instruction',
      what: 'routing a Universal_Instruction',
      expected: `an op of the v1 catalogue (${OP_NAMES.length} ops, e.g. log.write, fs.read)`,
      found: JSON.stringify(ins.op),
      details: { field: '/op', op: ins.op },
    });
  }
  if (ins.op === 'ui.render') {
    const depth = uiTreeDepth((ins.args as { tree?: unknown } | null)?.tree, MAX_UI_DEPTH);
    if (depth > MAX_UI_DEPTH) {
      throw new FaygerError({
        code: 'INSTRUCTION_INVALID',
        phase: 'validate-instruction',
        what: 'validating ui.render',
        expected: `a UI tree at most ${MAX_UI_DEPTH} levels deep`,
        found: `a tree deeper than ${MAX_UI_DEPTH}`,
        hint: 'Flatten the UI tree.',
        details: { field: '/args/tree', op: ins.op },
      });
    }
  }
  check(
    OP_CATALOGUE[ins.op].args,
    ins.args,
    'INSTRUCTION_INVALID',
    `${ins.op} arguments`,
    'validate-instruction',
    '/args',
  );
  if (ins.op === 'ui.render') checkUiIds((ins.args as { tree: UiNode }).tree);
  return ins as UniversalInstruction;
}

/** Validates an adapter's answer for `op` (the `value` of a successful Universal_Result). */
export function validateResult<O extends OpName>(op: O, value: unknown): OpResult<O> {
  check(OP_CATALOGUE[op].result, value, 'RESULT_INVALID', `${op} result`, 'validate-result', '/value');
  return value as OpResult<O>;
}

const EventSchemas: Record<string, TSchema> = {
  'timer.fired': Obj({ timerId: Str(128, 1) }),
  'net.request': Obj({
    listenerId: Str(128, 1),
    requestId: Str(128, 1),
    method: Str(16, 1),
    url: Str(8192, 1),
    headers: Headers,
    body: Bytes(),
  }),
  'ui.event': Obj({
    nodeId: Str(128, 1),
    kind: Literals(['click', 'input', 'submit', 'key'] as const),
    value: Type.Optional(Str(4096)),
    key: Type.Optional(Str(32)),
    tree: Type.Optional(UiNodeSchema),
  }),
  'app.lifecycle': Obj({
    state: Literals(['foreground', 'background', 'terminating'] as const),
  }),
};

const EventEnvelopeSchema = Obj({
  v: Type.Literal(1),
  type: Type.Union(Object.keys(EventSchemas).map((k) => Type.Literal(k))),
  instanceId: Type.Optional(Str(128, 1)),
  time: Type.Number(),
  data: Type.Unknown(),
});

/** Validates a host event before it is delivered to a guest. */
export function validateEvent(value: unknown): UniversalEvent {
  check(EventEnvelopeSchema, value, 'EVENT_INVALID', 'Universal_Event envelope', 'validate-event', '');
  const ev = value as UniversalEvent;
  check(EventSchemas[ev.type]!, ev.data, 'EVENT_INVALID', `${ev.type} event`, 'validate-event', '/data');
  return ev;
}
