/**
 * A minimal semantic-version matcher (SemVer 2.0.0 precedence; npm-style ranges): exact versions,
 * comparators (`>=1.2.0 <2`), caret (`^1.2.3`), tilde (`~1.2`), x-ranges (`1.x`, `1.2.*`, `*`),
 * hyphen ranges (`1.2 - 1.4`) and unions (`||`). Dependency-free so contracts stays dependency-free.
 * Prerelease versions only satisfy a comparator set when one of its comparators names a prerelease of
 * the same major.minor.patch (npm semantics); build metadata is ignored.
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: (string | number)[];
}

const NUM = '0|[1-9]\\d*';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const VERSION_RE = new RegExp(
  `^(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$`,
);

/** Parses a full `MAJOR.MINOR.PATCH[-pre][+build]` version; undefined when it is not one. */
export function parseSemVer(text: string): SemVer | undefined {
  if (typeof text !== 'string' || text.length > 256) return undefined;
  const m = VERSION_RE.exec(text.trim());
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (parts.some((n) => !Number.isSafeInteger(n))) return undefined;
  const prerelease = m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { major: parts[0]!, minor: parts[1]!, patch: parts[2]!, prerelease };
}

/** Compares by SemVer precedence: negative, 0 or positive. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  const pa = a.prerelease;
  const pb = b.prerelease;
  if (pa.length === 0 || pb.length === 0) return pb.length - pa.length;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (i >= pa.length) return -1;
    if (i >= pb.length) return 1;
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Op = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  op: Op;
  v: SemVer;
}

/** A parsed range: a union of comparator sets. */
export interface SemVerRange {
  readonly source: string;
  readonly sets: readonly (readonly Comparator[])[];
}

interface Partial {
  major?: number;
  minor?: number;
  patch?: number;
  prerelease: (string | number)[];
}

const PARTIAL_RE = new RegExp(
  `^v?(${NUM}|[xX*])(?:\\.(${NUM}|[xX*])(?:\\.(${NUM}|[xX*])(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+[0-9a-zA-Z-.]+)?)?)?$`,
);

function parsePartial(text: string): Partial | undefined {
  const m = PARTIAL_RE.exec(text);
  if (!m) return undefined;
  const num = (s: string | undefined): number | undefined =>
    s === undefined || s === 'x' || s === 'X' || s === '*' ? undefined : Number(s);
  const major = num(m[1]);
  const minor = major === undefined ? undefined : num(m[2]);
  const patch = minor === undefined ? undefined : num(m[3]);
  const prerelease = patch !== undefined && m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [];
  return { major, minor, patch, prerelease };
}

const v = (major: number, minor: number, patch: number, prerelease: (string | number)[] = []): SemVer => ({
  major,
  minor,
  patch,
  prerelease,
});
// Smallest prerelease of a version: lets `<2.0.0` exclude 2.0.0-alpha as npm does with `<2.0.0-0`.
const floor = (major: number, minor: number, patch: number): SemVer => v(major, minor, patch, [0]);

function expandPrimitive(op: Op, p: Partial): Comparator[] | undefined {
  const { major, minor, patch } = p;
  if (major === undefined) return op === '<' || op === '>' ? [{ op: '<', v: v(0, 0, 0, [0]) }] : [];
  if (op === '=') {
    if (minor === undefined)
      return [
        { op: '>=', v: v(major, 0, 0) },
        { op: '<', v: floor(major + 1, 0, 0) },
      ];
    if (patch === undefined)
      return [
        { op: '>=', v: v(major, minor, 0) },
        { op: '<', v: floor(major, minor + 1, 0) },
      ];
    return [{ op: '=', v: v(major, minor, patch, p.prerelease) }];
  }
  if (op === '>') {
    if (minor === undefined) return [{ op: '>=', v: v(major + 1, 0, 0) }];
    if (patch === undefined) return [{ op: '>=', v: v(major, minor + 1, 0) }];
    return [{ op: '>', v: v(major, minor, patch, p.prerelease) }];
  }
  if (op === '>=') return [{ op: '>=', v: v(major, minor ?? 0, patch ?? 0, p.prerelease) }];
  if (op === '<') {
    if (minor === undefined || patch === undefined) return [{ op: '<', v: floor(major, minor ?? 0, 0) }];
    return [{ op: '<', v: p.prerelease.length ? v(major, minor, patch, p.prerelease) : floor(major, minor, patch) }];
  }
  // '<='
  if (minor === undefined) return [{ op: '<', v: floor(major + 1, 0, 0) }];
  if (patch === undefined) return [{ op: '<', v: floor(major, minor + 1, 0) }];
  return [{ op: '<=', v: v(major, minor, patch, p.prerelease) }];
}

function expandCaret(p: Partial): Comparator[] {
  const { major, minor, patch } = p;
  if (major === undefined) return [];
  const lo = v(major, minor ?? 0, patch ?? 0, p.prerelease);
  let hi: SemVer;
  if (major > 0 || minor === undefined) hi = floor(major + 1, 0, 0);
  else if (minor > 0 || patch === undefined) hi = floor(0, minor + 1, 0);
  else hi = floor(0, 0, patch + 1);
  return [
    { op: '>=', v: lo },
    { op: '<', v: hi },
  ];
}

function expandTilde(p: Partial): Comparator[] {
  const { major, minor, patch } = p;
  if (major === undefined) return [];
  const lo = v(major, minor ?? 0, patch ?? 0, p.prerelease);
  const hi = minor === undefined ? floor(major + 1, 0, 0) : floor(major, minor + 1, 0);
  return [
    { op: '>=', v: lo },
    { op: '<', v: hi },
  ];
}

function parseSet(text: string): Comparator[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(trimmed);
  if (hyphen) {
    const a = parsePartial(hyphen[1]!);
    const b = parsePartial(hyphen[2]!);
    if (!a || !b) return undefined;
    const lo = expandPrimitive('>=', a);
    const hi = expandPrimitive('<=', b);
    return lo && hi ? [...lo, ...hi] : undefined;
  }
  // Allow "> = 1.2" style spacing between an operator and its version, as npm does.
  const tokens = trimmed.replace(/(<=|>=|<|>|=|\^|~)\s+/g, '$1').split(/\s+/);
  const out: Comparator[] = [];
  for (const tok of tokens) {
    const m = /^(<=|>=|<|>|=|\^|~>?|)(.*)$/.exec(tok)!;
    const p = parsePartial(m[2]!);
    if (!p) return undefined;
    const op = m[1]!;
    let cs: Comparator[] | undefined;
    if (op === '^') cs = expandCaret(p);
    else if (op === '~' || op === '~>') cs = expandTilde(p);
    else cs = expandPrimitive((op === '' ? '=' : op) as Op, p);
    if (!cs) return undefined;
    out.push(...cs);
  }
  return out;
}

/** Parses a range; undefined when the text is not a valid range. */
export function parseSemVerRange(text: string): SemVerRange | undefined {
  if (typeof text !== 'string' || text.length > 1024) return undefined;
  const sets: Comparator[][] = [];
  for (const part of text.split('||')) {
    const set = parseSet(part);
    if (!set) return undefined;
    sets.push(set);
  }
  return { source: text, sets };
}

function test(c: Comparator, x: SemVer): boolean {
  const r = compareSemVer(x, c.v);
  switch (c.op) {
    case '<':
      return r < 0;
    case '<=':
      return r <= 0;
    case '>':
      return r > 0;
    case '>=':
      return r >= 0;
    case '=':
      return r === 0;
  }
}

function setSatisfied(set: readonly Comparator[], x: SemVer): boolean {
  for (const c of set) if (!test(c, x)) return false;
  if (x.prerelease.length === 0) return true;
  // A prerelease only matches when the set explicitly names a prerelease of the same release triple.
  return set.some(
    (c) =>
      c.v.prerelease.length > 0 &&
      !(c.v.prerelease.length === 1 && c.v.prerelease[0] === 0 && c.op === '<') &&
      c.v.major === x.major &&
      c.v.minor === x.minor &&
      c.v.patch === x.patch,
  );
}

/** True when `version` satisfies `range`. Invalid versions or ranges never satisfy. */
export function satisfies(version: string | SemVer, range: string | SemVerRange): boolean {
  const x = typeof version === 'string' ? parseSemVer(version) : version;
  const r = typeof range === 'string' ? parseSemVerRange(range) : range;
  if (!x || !r) return false;
  return r.sets.some((s) => setSatisfied(s, x));
}

/** The highest of `versions` that satisfies `range`, or undefined. */
export function maxSatisfying(versions: readonly string[], range: string | SemVerRange): string | undefined {
  const r = typeof range === 'string' ? parseSemVerRange(range) : range;
  if (!r) return undefined;
  let best: { text: string; v: SemVer } | undefined;
  for (const text of versions) {
    const x = parseSemVer(text);
    if (!x || !r.sets.some((s) => setSatisfied(s, x))) continue;
    if (!best || compareSemVer(x, best.v) > 0) best = { text, v: x };
  }
  return best?.text;
}
