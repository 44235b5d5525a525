import type { UiNode } from '@fayger/contracts';
import { oneLine, sanitize, strWidth, takeWidth, truncate, wrapText } from './text-width.js';
import type { UiState } from './ui-state.js';

/**
 * Lays a UI tree out into styled terminal lines for a given width. Pure: the painter turns the result into
 * ANSI; tests read the text directly.
 */

export type SegmentStyle = 'plain' | 'marker' | 'button' | 'focus' | 'dim' | 'field' | 'field-focus' | 'placeholder';
export interface Segment {
  text: string;
  style: SegmentStyle;
}
export type Line = Segment[];

/** Characters the layout draws with. Terminals without UTF-8 get the ASCII set. */
export interface Glyphs {
  /** One cell wide: drawn before the focused button or input. */
  marker: string;
  bullet: string;
  ellipsis: string;
}
export const UNICODE_GLYPHS: Glyphs = { marker: '›', bullet: '•', ellipsis: '…' };
export const ASCII_GLYPHS: Glyphs = { marker: '>', bullet: '*', ellipsis: '~' };

export interface LayoutResult {
  lines: Line[];
  /** Where the terminal cursor belongs (the focused input's caret), if anywhere. */
  cursor: { row: number; col: number } | null;
  /** First line of the focused node, so a tall UI can scroll it into view. */
  focusRow: number | null;
}

interface Block extends LayoutResult {
  width: number;
}

const GAP = 2;
const MARK_W = 2;
const MIN_FIELD = 20;

export function lineWidth(line: Line): number {
  let w = 0;
  for (const s of line) w += strWidth(s.text);
  return w;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

function clipLine(line: Line, width: number): Line {
  const out: Line = [];
  let left = width;
  for (const s of line) {
    if (left <= 0) break;
    const w = strWidth(s.text);
    if (w <= left) {
      out.push(s);
      left -= w;
    } else {
      out.push({ text: takeWidth(s.text, left), style: s.style });
      left = 0;
    }
  }
  return out;
}

function block(lines: Line[], cursor: Block['cursor'] = null, focusRow: number | null = null): Block {
  let width = 0;
  for (const l of lines) width = Math.max(width, lineWidth(l));
  return { lines, width, cursor, focusRow };
}

class Layout {
  private readonly natural = new WeakMap<UiNode, number>();

  constructor(
    private readonly state: UiState,
    private readonly glyphs: Glyphs,
  ) {}

  private label(node: UiNode): string {
    return oneLine(node.text ?? node.id ?? '');
  }

  private fieldWant(node: UiNode): number {
    const value = this.state.inputs.get(node.id ?? '')?.value ?? '';
    return Math.max(MIN_FIELD, strWidth(oneLine(node.placeholder ?? '')) + 1, strWidth(oneLine(value)) + 1);
  }

  /** Width the node would take with no limit; rows share space by it. */
  naturalWidth(node: UiNode): number {
    const cached = this.natural.get(node);
    if (cached !== undefined) return cached;
    let w = 0;
    const kids = node.children ?? [];
    switch (node.type) {
      case 'text':
        for (const p of sanitize(node.text ?? '').split('\n')) w = Math.max(w, strWidth(p));
        break;
      case 'button':
        w = MARK_W + strWidth(this.label(node)) + 4;
        break;
      case 'input': {
        const label = node.text ? strWidth(oneLine(node.text)) + 1 : 0;
        w = MARK_W + label + this.fieldWant(node) + 2;
        break;
      }
      case 'column':
        for (const c of kids) w = Math.max(w, this.naturalWidth(c));
        break;
      case 'list':
        for (const c of kids) w = Math.max(w, strWidth(this.glyphs.bullet) + 1 + this.naturalWidth(c));
        break;
      case 'row':
        for (const c of kids) w += this.naturalWidth(c);
        w += GAP * Math.max(0, kids.length - 1);
        break;
    }
    this.natural.set(node, w);
    return w;
  }

  lay(node: UiNode, width: number): Block {
    const w = Math.max(1, width);
    switch (node.type) {
      case 'text':
        return block(wrapText(node.text ?? '', w).map((t) => [{ text: t, style: 'plain' }]));
      case 'button':
        return this.button(node, w);
      case 'input':
        return this.input(node, w);
      case 'column':
        return this.column(node.children ?? [], w);
      case 'list':
        return this.list(node.children ?? [], w);
      case 'row':
        return this.row(node.children ?? [], w);
    }
  }

  private marker(focused: boolean): Segment {
    return { text: focused ? `${this.glyphs.marker} ` : '  ', style: 'marker' };
  }

  private button(node: UiNode, w: number): Block {
    const focused = this.state.focusId === node.id;
    const style: SegmentStyle = node.disabled ? 'dim' : focused ? 'focus' : 'button';
    const room = w - MARK_W - 4;
    const text =
      room >= 1
        ? `[ ${truncate(this.label(node), room, this.glyphs.ellipsis)} ]`
        : truncate(`[${this.label(node)}]`, Math.max(1, w - MARK_W), '');
    const line = clipLine([this.marker(focused), { text, style }], w);
    return block([line], null, focused ? 0 : null);
  }

  private input(node: UiNode, w: number): Block {
    const id = node.id ?? '';
    const focused = this.state.focusId === id;
    const st = this.state.inputs.get(id) ?? { value: node.value ?? '', cursor: 0 };
    const label = node.text ? oneLine(node.text) : '';
    const lines: Line[] = [];
    let fieldCol = MARK_W;
    let room = w - MARK_W - 2;
    const first: Line = [this.marker(focused)];
    if (label) {
      const lw = strWidth(label) + 1;
      if (room - lw >= 4) {
        first.push({ text: `${label} `, style: node.disabled ? 'dim' : 'plain' });
        fieldCol += lw;
        room -= lw;
      } else {
        // Too narrow for label and field side by side: the label goes above.
        for (const [i, t] of wrapText(label, Math.max(1, w - MARK_W)).entries()) {
          lines.push(
            i === 0 ? [this.marker(focused), { text: t, style: 'plain' }] : [{ text: `  ${t}`, style: 'plain' }],
          );
        }
        first[0] = { text: '  ', style: 'marker' };
      }
    }
    const fw = Math.max(1, Math.min(this.fieldWant(node), room));
    // Input values are sanitised for display only; the value the guest receives is what was typed.
    const value = oneLine(st.value);
    const cursorIdx = oneLine(st.value.slice(0, st.cursor)).length;
    let shown: string;
    let caret = 0;
    let style: SegmentStyle = node.disabled ? 'dim' : focused ? 'field-focus' : 'field';
    if (value === '' && node.placeholder) {
      shown = truncate(oneLine(node.placeholder), fw, this.glyphs.ellipsis);
      if (!node.disabled) style = 'placeholder';
    } else {
      // Scroll the field horizontally so the caret stays inside it.
      let start = cursorIdx;
      let used = 0;
      while (start > 0) {
        const prev =
          value.charCodeAt(start - 1) >= 0xdc00 && value.charCodeAt(start - 1) <= 0xdfff && start >= 2
            ? start - 2
            : start - 1;
        const cw = strWidth(value.slice(prev, start));
        if (used + cw > fw - 1) break;
        used += cw;
        start = prev;
      }
      shown = takeWidth(value.slice(start), fw);
      caret = strWidth(value.slice(start, cursorIdx));
    }
    const pad = ' '.repeat(Math.max(0, fw - strWidth(shown)));
    first.push({ text: '[', style: 'plain' }, { text: shown + pad, style }, { text: ']', style: 'plain' });
    const row = lines.length;
    lines.push(clipLine(first, w));
    const cursor = focused ? { row, col: Math.min(w - 1, fieldCol + 1 + caret) } : null;
    return block(lines, cursor, focused ? 0 : null);
  }

  private column(kids: UiNode[], w: number): Block {
    const lines: Line[] = [];
    let cursor: Block['cursor'] = null;
    let focusRow: number | null = null;
    for (const c of kids) {
      const b = this.lay(c, w);
      if (b.cursor) cursor = { row: b.cursor.row + lines.length, col: b.cursor.col };
      if (b.focusRow !== null) focusRow = b.focusRow + lines.length;
      lines.push(...b.lines);
    }
    return block(lines, cursor, focusRow);
  }

  private list(kids: UiNode[], w: number): Block {
    const bullet = this.glyphs.bullet;
    const indent = strWidth(bullet) + 1;
    if (w <= indent) return this.column(kids, w);
    const lines: Line[] = [];
    let cursor: Block['cursor'] = null;
    let focusRow: number | null = null;
    for (const c of kids) {
      const b = this.lay(c, w - indent);
      if (b.cursor) cursor = { row: b.cursor.row + lines.length, col: b.cursor.col + indent };
      if (b.focusRow !== null) focusRow = b.focusRow + lines.length;
      const body = b.lines.length > 0 ? b.lines : [[]];
      body.forEach((l, i) => lines.push([{ text: i === 0 ? `${bullet} ` : ' '.repeat(indent), style: 'plain' }, ...l]));
    }
    return block(lines, cursor, focusRow);
  }

  private row(kids: UiNode[], w: number): Block {
    if (kids.length === 0) return block([]);
    const avail = w - GAP * (kids.length - 1);
    // Narrower than one cell per child: stacking beats an unreadable row.
    if (avail < kids.length * 3) return this.column(kids, w);
    const want = kids.map((c) => this.naturalWidth(c));
    const alloc = shareWidth(want, avail);
    // A child never spills into its neighbour: whatever it drew past its share (a field's minimum, a wide
    // character in a one-cell column) is clipped to that share.
    const blocks = kids.map((c, i) => {
      const b = this.lay(c, alloc[i]!);
      return { ...b, lines: b.lines.map((l) => (lineWidth(l) > alloc[i]! ? clipLine(l, alloc[i]!) : l)) };
    });
    const height = Math.max(0, ...blocks.map((b) => b.lines.length));
    const lines: Line[] = [];
    for (let r = 0; r < height; r++) {
      const line: Line = [];
      blocks.forEach((b, i) => {
        const part = b.lines[r] ?? [];
        line.push(...part);
        if (i < blocks.length - 1)
          line.push({ text: ' '.repeat(Math.max(0, alloc[i]! - lineWidth(part)) + GAP), style: 'plain' });
      });
      lines.push(line);
    }
    let cursor: Block['cursor'] = null;
    let focusRow: number | null = null;
    let x = 0;
    blocks.forEach((b, i) => {
      if (b.cursor) cursor = { row: b.cursor.row, col: b.cursor.col + x };
      if (b.focusRow !== null) focusRow = b.focusRow;
      x += alloc[i]! + GAP;
    });
    return block(lines, cursor, focusRow);
  }
}

/**
 * Water-filling: children that want less than an equal share get what they want; the rest split what is
 * left equally. Every child gets at least one cell; the result sums to at most `avail`.
 */
export function shareWidth(want: number[], avail: number): number[] {
  const total = want.reduce((a, b) => a + b, 0);
  if (total <= avail) return want.map((x) => Math.max(1, x));
  const alloc = new Array<number>(want.length).fill(0);
  let open = want.map((_, i) => i);
  let left = avail;
  for (;;) {
    const share = Math.floor(left / open.length);
    const small = open.filter((i) => want[i]! <= share);
    if (small.length === 0) {
      open.forEach((i, k) => (alloc[i] = Math.max(1, share + (k < left - share * open.length ? 1 : 0))));
      return alloc;
    }
    for (const i of small) {
      alloc[i] = Math.max(1, want[i]!);
      left -= alloc[i]!;
    }
    open = open.filter((i) => !small.includes(i));
    if (open.length === 0) return alloc;
  }
}

/** Lays the state's tree out at `width` columns. An empty state lays out to no lines. */
export function layoutUi(state: UiState, width: number, glyphs: Glyphs = UNICODE_GLYPHS): LayoutResult {
  if (state.tree === null) return { lines: [], cursor: null, focusRow: null };
  const w = Math.max(1, Math.floor(width));
  const b = new Layout(state, glyphs).lay(state.tree, w);
  return { lines: b.lines.map((l) => clipLine(l, w)), cursor: b.cursor, focusRow: b.focusRow };
}
