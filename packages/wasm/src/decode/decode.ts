import { FUNCREF, SEG_ACTIVE, SEG_DECLARATIVE, SEG_PASSIVE } from './module-ir.js';
import type {
  CodeIR,
  ConstExprIR,
  DataIR,
  ElemIR,
  ExportIR,
  FuncTypeIR,
  GlobalIR,
  GlobalTypeIR,
  ImportIR,
  LimitsIR,
  ModuleIR,
  NameSectionIR,
  TableTypeIR,
  ValTypeCode,
} from './module-ir.js';
import { Reader, malformed, overLimit, unsupported } from './reader.js';
import { IntBuf } from './int-buf.js';
import { HOT_WORDS, expr, refType, valType } from './expr.js';
import { bodyValidation } from '../validate/validate.js';

export { instructionOffsets } from './expr.js';

/**
 * Implementation limits that keep a small module from expanding into gigabytes of host objects: each count is
 * checked when it is read, before its entries are decoded (WASM_LIMIT_EXCEEDED). Most are the WebAssembly JS
 * API's limits or below them (sized so that a module at every limit at once still decodes in a 256 MB heap);
 * docs/limits.md lists them.
 */
export const DECODE_LIMITS = Object.freeze({
  types: 100_000,
  /** Parameters and results of one type, each. */
  typeArity: 1_000,
  imports: 100_000,
  /** Functions defined by the module (imports not counted). */
  functions: 250_000,
  tables: 100_000,
  memories: 100,
  globals: 100_000,
  exports: 100_000,
  /** Element-segment entries of all segments together. */
  elemEntries: 1_000_000,
  dataSegments: 100_000,
  /** Locals of one function. */
  locals: 50_000,
  /** Locals of all functions together (each is expanded into the function's local list). */
  totalLocals: 4_000_000,
  /** Custom sections (each is kept, copied, for WebAssembly.Module.customSections). */
  customSections: 10_000,
  /** Bytes of one function body. */
  bodyBytes: 7_654_321,
  /** Bytes of the code section (each instruction becomes several words: decoded code is up to 6× this). */
  codeBytes: 64 * 1024 * 1024,
});
const MAX_LOCALS = DECODE_LIMITS.locals;
const MAX_FUNCTIONS = DECODE_LIMITS.functions;
const MAX_ELEM_ENTRIES = DECODE_LIMITS.elemEntries;

/** Reads a vector count and refuses it beyond `limit` before anything is decoded. */
function count(s: Reader, what: string, limit: number): number {
  const at = s.pos;
  const n = s.u32();
  if (n > limit) overLimit(what, limit, n, at);
  return n;
}

function limits(r: Reader, what: 'memory' | 'table'): LimitsIR {
  const at = r.pos;
  const flags = r.u8();
  if (flags === 0) return { min: r.u32(), max: undefined };
  if (flags === 1) {
    const min = r.u32();
    return { min, max: r.u32() };
  }
  // Flags 2/3 (shared, threads proposal) are malformed in 2.0 and the spec tests say so.
  if (what === 'memory' && flags >= 4 && flags <= 7) unsupported('64-bit memory (memory64)', at);
  malformed('integer too large', at);
}

function globalType(r: Reader): GlobalTypeIR {
  const type = valType(r);
  const at = r.pos;
  const m = r.u8();
  if (m > 1) malformed('malformed mutability', at);
  return { type, mutable: m === 1 };
}

function constExpr(r: Reader): ConstExprIR {
  const offset = r.pos;
  const out = new IntBuf(16);
  expr(r, out, undefined, { hasDataCount: true, dataCountNeeded: false });
  return { code: out.take(), offset };
}

const SECTION_ORDER: Record<number, number> = {
  1: 1,
  2: 2,
  3: 3,
  4: 4,
  5: 5,
  6: 6,
  7: 7,
  8: 8,
  9: 9,
  12: 10,
  10: 11,
  11: 12,
};

/** Options of `decode`. */
export interface DecodeOptions {
  /**
   * Keep each function body's instruction stream as it is decoded (a copy of the scratch stream), for an engine
   * that compiles every function up front. Default false: a body is decoded again on first use of `body`, so an
   * engine that compiles functions on first call keeps nothing for the functions it never runs.
   */
  readonly keepBodies?: boolean;
}

/** Decodes a WebAssembly binary into a ModuleIR. Throws WASM_MALFORMED / WASM_UNSUPPORTED_FEATURE. */
export function decode(bytes: Uint8Array, options?: DecodeOptions): ModuleIR {
  const keepBodies = options?.keepBodies === true;
  const r = new Reader(bytes);
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    malformed('magic header not detected', 0);
  }
  if (bytes.length < 8) malformed('unexpected end', bytes.length);
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    malformed('unknown binary version', 4);
  }
  r.pos = 8;
  const m: ModuleIR = {
    types: [],
    imports: [],
    funcs: [],
    tables: [],
    memories: [],
    globals: [],
    exports: [],
    start: undefined,
    elems: [],
    datas: [],
    dataCount: undefined,
    codes: [],
    customs: [],
    names: undefined,
  };
  let lastOrder = 0;
  let funcCount: number | undefined;
  const ctx = { hasDataCount: false, dataCountNeeded: false };
  while (!r.eof()) {
    const idAt = r.pos;
    const id = r.u8();
    const size = r.u32();
    const start = r.pos;
    const end = start + size;
    if (id === 10 && size > DECODE_LIMITS.codeBytes)
      overLimit('code section size in bytes', DECODE_LIMITS.codeBytes, size, idAt);
    if (end > bytes.length) malformed('length out of bounds', start);
    if (id !== 0) {
      const order = SECTION_ORDER[id];
      if (order === undefined) {
        if (id === 13) unsupported('exception handling (tag section)', idAt);
        malformed('malformed section id', idAt);
      }
      if (order <= lastOrder) malformed('unexpected content after last section', idAt);
      lastOrder = order;
    }
    const s = new Reader(bytes, start, end);
    switch (id) {
      case 0: {
        if (m.customs.length >= DECODE_LIMITS.customSections)
          overLimit('custom sections', DECODE_LIMITS.customSections, m.customs.length + 1, idAt);
        const name = s.name();
        const content = bytes.slice(s.pos, end);
        m.customs.push({ name, bytes: content });
        if (name === 'name') {
          try {
            m.names = nameSection(new Reader(content));
          } catch {
            // A broken name section is ignored: it is debug information only (spec appendix 7.4).
          }
        }
        s.pos = end;
        break;
      }
      case 1: {
        const n = count(s, 'types', DECODE_LIMITS.types);
        for (let i = 0; i < n; i++) {
          const at = s.pos;
          const form = s.u8();
          if (form !== 0x60) {
            if (form === 0x5e || form === 0x5f || form === 0x4e || form === 0x4f || form === 0x50)
              unsupported('garbage collection types', at);
            malformed('integer representation too long', at);
          }
          const np = count(s, 'parameters of one type', DECODE_LIMITS.typeArity);
          const params: number[] = [];
          for (let j = 0; j < np; j++) params.push(valType(s));
          const nr = count(s, 'results of one type', DECODE_LIMITS.typeArity);
          const results: number[] = [];
          for (let j = 0; j < nr; j++) results.push(valType(s));
          m.types.push({ params, results } satisfies FuncTypeIR);
        }
        break;
      }
      case 2: {
        const n = count(s, 'imports', DECODE_LIMITS.imports);
        for (let i = 0; i < n; i++) {
          const module = s.name();
          const name = s.name();
          const at = s.pos;
          const kind = s.u8();
          let imp: ImportIR;
          if (kind === 0) imp = { module, name, kind, type: s.u32() };
          else if (kind === 1) {
            const elem = refType(s);
            imp = { module, name, kind, table: { elem, ...limits(s, 'table') } };
          } else if (kind === 2) imp = { module, name, kind, memory: limits(s, 'memory') };
          else if (kind === 3) imp = { module, name, kind, global: globalType(s) };
          else malformed('malformed import kind', at);
          m.imports.push(imp);
        }
        break;
      }
      case 3: {
        const n = count(s, 'functions', MAX_FUNCTIONS);
        for (let i = 0; i < n; i++) m.funcs.push(s.u32());
        funcCount = n;
        break;
      }
      case 4: {
        const n = count(s, 'tables', DECODE_LIMITS.tables);
        for (let i = 0; i < n; i++) {
          const elem = refType(s);
          m.tables.push({ elem, ...limits(s, 'table') } satisfies TableTypeIR);
        }
        break;
      }
      case 5: {
        const n = count(s, 'memories', DECODE_LIMITS.memories);
        for (let i = 0; i < n; i++) m.memories.push(limits(s, 'memory'));
        break;
      }
      case 6: {
        const n = count(s, 'globals', DECODE_LIMITS.globals);
        for (let i = 0; i < n; i++) {
          const type = globalType(s);
          m.globals.push({ type, init: constExpr(s) } satisfies GlobalIR);
        }
        break;
      }
      case 7: {
        const n = count(s, 'exports', DECODE_LIMITS.exports);
        for (let i = 0; i < n; i++) {
          const name = s.name();
          const at = s.pos;
          const kind = s.u8();
          if (kind > 3) {
            if (kind === 4) unsupported('exception handling (tag export)', at);
            malformed('malformed export kind', at);
          }
          m.exports.push({ name, kind, index: s.u32() } satisfies ExportIR);
        }
        break;
      }
      case 8:
        m.start = s.u32();
        break;
      case 9: {
        const n = count(s, 'element segments', MAX_ELEM_ENTRIES);
        let entries = 0;
        for (let i = 0; i < n; i++) {
          const at = s.pos;
          const e = elemSegment(s, MAX_ELEM_ENTRIES - entries);
          entries += e.init.length;
          if (entries > MAX_ELEM_ENTRIES) overLimit('element segment entries', MAX_ELEM_ENTRIES, entries, at);
          m.elems.push(e);
        }
        break;
      }
      case 12:
        m.dataCount = count(s, 'data segments', DECODE_LIMITS.dataSegments);
        ctx.hasDataCount = true;
        break;
      case 10: {
        const n = s.u32();
        if (n !== (funcCount ?? 0)) malformed('function and code section have inconsistent lengths', start);
        const locals = { total: 0 };
        // Each body is validated right after it is decoded, from the scratch stream (one pass, nothing kept);
        // validate() reuses the verdict. The stream a body compiles from is decoded again on first use.
        const bodies = bodyValidation(m);
        for (let i = 0; i < n; i++) {
          const code = codeEntry(s, ctx, locals);
          m.codes.push(code);
          bodies?.check(i, bodyBuf.a, bodyBuf.n);
          if (keepBodies) code.keep(bodyBuf.take());
        }
        bodies?.finish();
        break;
      }
      case 11: {
        const n = count(s, 'data segments', DECODE_LIMITS.dataSegments);
        if (m.dataCount !== undefined && n !== m.dataCount)
          malformed('data count and data section have inconsistent lengths', start);
        for (let i = 0; i < n; i++) m.datas.push(dataSegment(s));
        break;
      }
    }
    if (s.pos !== end) malformed('section size mismatch', s.pos);
    r.pos = end;
  }
  if (m.codes.length !== m.funcs.length) malformed('function and code section have inconsistent lengths', bytes.length);
  if (m.dataCount !== undefined && m.datas.length !== m.dataCount)
    malformed('data count and data section have inconsistent lengths', bytes.length);
  if (ctx.dataCountNeeded && !ctx.hasDataCount && m.datas.length > 0)
    malformed('data count section required', bytes.length);
  return m;
}

/** Scratch lists of one body's local groups (counts and types), reused by every body. */
const GROUP_COUNTS: number[] = [];
const GROUP_TYPES: number[] = [];

/** Scratch buffer reused by every function body (decoding is synchronous, so never shared). */
const bodyBuf = new IntBuf(1 << 16);

function codeEntry(
  s: Reader,
  ctx: { hasDataCount: boolean; dataCountNeeded: boolean },
  module: { total: number },
): LazyBody {
  const sizeAt = s.pos;
  const size = s.u32();
  if (size > DECODE_LIMITS.bodyBytes) overLimit('function body size in bytes', DECODE_LIMITS.bodyBytes, size, sizeAt);
  const start = s.pos;
  const end = start + size;
  if (end > s.end) malformed('unexpected end of section or function', start);
  // The section's reader, bounded to the body while it is read (a body error is thrown, never resumed from).
  const b = s;
  const sectionEnd = s.end;
  b.end = end;
  const groups = b.u32();
  const locals: number[] = [];
  const counts = GROUP_COUNTS;
  const types = GROUP_TYPES;
  counts.length = 0;
  types.length = 0;
  let total = 0;
  const localsAt = b.pos;
  for (let i = 0; i < groups; i++) {
    const at = b.pos;
    const count = b.u32();
    total += count;
    if (total > 0xffffffff) malformed('too many locals', at);
    counts.push(count);
    types.push(valType(b));
  }
  if (total > MAX_LOCALS) overLimit('locals of one function', MAX_LOCALS, total, localsAt);
  module.total += total;
  if (module.total > DECODE_LIMITS.totalLocals)
    overLimit('locals of all functions together', DECODE_LIMITS.totalLocals, module.total, localsAt);
  for (let g = 0; g < counts.length; g++) {
    const t = types[g];
    for (let j = counts[g]; j > 0; j--) locals.push(t);
  }
  const body = bodyBuf;
  body.n = 0;
  body.reserve(maxWords(end - b.pos));
  const bodyOffset = b.pos;
  expr(b, body, undefined, ctx);
  if (b.pos !== end) malformed('section size mismatch', b.pos);
  s.end = sectionEnd;
  s.pos = end;
  return new LazyBody(locals, bodyOffset, end, s.bytes);
}

/** Upper bound of the words an instruction stream of `bytes` bytes decodes to (see HOT_WORDS). */
function maxWords(bytes: number): number {
  return bytes + (bytes >> 1) + HOT_WORDS;
}

/** Scratch for bodies decoded on first use (never while decode() runs on bodyBuf). */
const lazyBuf = new IntBuf(1 << 12);

/**
 * A code entry whose instruction stream is decoded on first use of `body`: decode() has checked the body (and
 * validation walked its stream) already, so an engine that compiles functions on first call decodes only the
 * bodies it runs, and nothing is kept for the others.
 */
class LazyBody implements CodeIR {
  private stream: Int32Array | null = null;
  constructor(
    readonly locals: readonly ValTypeCode[],
    readonly offset: number,
    readonly end: number,
    readonly bytes: Uint8Array,
  ) {}

  /** Sets the stream decode() just decoded (DecodeOptions.keepBodies). */
  keep(stream: Int32Array): void {
    this.stream = stream;
  }

  get body(): Int32Array {
    let st = this.stream;
    if (st === null) {
      lazyBuf.n = 0;
      lazyBuf.reserve(maxWords(this.end - this.offset));
      expr(new Reader(this.bytes, this.offset, this.end), lazyBuf, undefined, {
        hasDataCount: true,
        dataCountNeeded: false,
      });
      st = this.stream = lazyBuf.take();
    }
    return st;
  }
}

function elemSegment(s: Reader, maxEntries: number): ElemIR {
  const at = s.pos;
  const flags = s.u32();
  if (flags > 7) malformed('malformed elements segment kind', at);
  const passiveOrDecl = (flags & 1) !== 0;
  const explicitTable = (flags & 2) !== 0;
  const usesExprs = (flags & 4) !== 0;
  const mode = !passiveOrDecl ? SEG_ACTIVE : explicitTable ? SEG_DECLARATIVE : SEG_PASSIVE;
  let table = 0;
  let offset: ConstExprIR | undefined;
  if (mode === SEG_ACTIVE) {
    if (explicitTable) table = s.u32();
    offset = constExpr(s);
  }
  let type: number = FUNCREF;
  if (passiveOrDecl || explicitTable) {
    if (usesExprs) type = refType(s);
    else {
      const k = s.pos;
      if (s.u8() !== 0) malformed('malformed element kind', k);
    }
  }
  const nAt = s.pos;
  const n = s.u32();
  // Checked before the entries are expanded into objects.
  if (n > maxEntries) overLimit('element segment entries', MAX_ELEM_ENTRIES, MAX_ELEM_ENTRIES - maxEntries + n, nAt);
  const init: ConstExprIR[] = [];
  for (let i = 0; i < n; i++) {
    if (usesExprs) init.push(constExpr(s));
    else {
      const offsetAt = s.pos;
      const idx = s.u32();
      init.push({ code: Int32Array.of(0xd2, idx, 0x0b), offset: offsetAt });
    }
  }
  return { mode, table, offset, type, init };
}

function dataSegment(s: Reader): DataIR {
  const at = s.pos;
  const flags = s.u32();
  if (flags > 2) malformed('malformed data segment kind', at);
  let memory = 0;
  let offset: ConstExprIR | undefined;
  if (flags === 2) memory = s.u32();
  if (flags !== 1) offset = constExpr(s);
  const len = s.u32();
  if (len > s.end - s.pos) malformed('unexpected end of section or function', s.pos);
  const bytes = s.bytesN(len).slice();
  return { mode: flags === 1 ? SEG_PASSIVE : SEG_ACTIVE, memory, offset, bytes };
}

function nameSection(r: Reader): NameSectionIR {
  const names: NameSectionIR = { functionNames: new Map() };
  while (!r.eof()) {
    const id = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    const s = new Reader(r.bytes, r.pos, end);
    if (id === 0) names.moduleName = s.name();
    else if (id === 1) {
      const n = s.u32();
      // Names beyond the functions a module may have: the (debug-only) name section is ignored, not expanded.
      if (n > DECODE_LIMITS.functions + DECODE_LIMITS.imports) throw new Error('too many function names');
      for (let i = 0; i < n; i++) {
        const idx = s.u32();
        names.functionNames.set(idx, s.name());
      }
    }
    r.pos = end;
  }
  return names;
}
