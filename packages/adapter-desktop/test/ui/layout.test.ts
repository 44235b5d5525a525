import type { UiNode } from '@fayger/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ASCII_GLYPHS,
  UNICODE_GLYPHS,
  applyKey,
  createUiState,
  layoutUi,
  lineText,
  renderTree,
  shareWidth,
} from '../../src/index.js';
import { strWidth, wrapText } from '../../src/ui/text-width.js';

const text = (tree: UiNode, width: number, focus?: string) => {
  let s = renderTree(createUiState(), tree);
  if (focus !== undefined) {
    while (s.focusId !== focus) s = applyKey(s, { name: 'tab' }).state;
  }
  const r = layoutUi(s, width, ASCII_GLYPHS);
  return { lines: r.lines.map(lineText), cursor: r.cursor, focusRow: r.focusRow };
};

describe('wrapText', () => {
  it('wraps at word boundaries, breaks long words and keeps explicit newlines', () => {
    expect(wrapText('the quick brown fox', 9)).toEqual(['the quick', 'brown fox']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('a\nb', 10)).toEqual(['a', 'b']);
    expect(wrapText('', 10)).toEqual(['']);
  });

  it('counts wide characters as two cells', () => {
    expect(wrapText('日本語テキスト', 6)).toEqual(['日本語', 'テキス', 'ト']);
  });

  it('neutralises terminal escape sequences in guest text', () => {
    expect(wrapText('a\x1b[2Jb', 20)[0]).not.toContain('\x1b');
  });

  it('never produces a line wider than the width', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (s, w) => {
        for (const line of wrapText(s, w)) expect(strWidth(line)).toBeLessThanOrEqual(w);
      }),
    );
  });
});

describe('shareWidth', () => {
  it('gives small children what they want and splits the rest', () => {
    expect(shareWidth([5, 100, 100], 45)).toEqual([5, 20, 20]);
    expect(shareWidth([5, 6], 40)).toEqual([5, 6]);
    const a = shareWidth([50, 50, 50], 31);
    expect(a.reduce((x, y) => x + y, 0)).toBe(31);
  });
});

describe('layoutUi', () => {
  it('renders text, a focused input with its caret and buttons with the focus marker', () => {
    const tree: UiNode = {
      type: 'column',
      children: [
        { type: 'text', text: 'Who are you?' },
        { type: 'input', id: 'name', text: 'Name:', value: 'Ada' },
        {
          type: 'row',
          children: [
            { type: 'button', id: 'ok', text: 'OK' },
            { type: 'button', id: 'no', text: 'Cancel' },
          ],
        },
      ],
    };
    const r = text(tree, 40);
    expect(r.lines[0]).toBe('Who are you?');
    expect(r.lines[1]).toBe('> Name: [Ada                 ]');
    // Each button keeps a two-cell marker column, so the gap between buttons reads as four spaces.
    expect(r.lines[2]).toBe('  [ OK ]    [ Cancel ]');
    // The caret sits after "Ada": marker (2) + "Name: " (6) + "[" (1) + 3.
    expect(r.cursor).toEqual({ row: 1, col: 12 });
    expect(r.focusRow).toBe(1);

    const onCancel = text(tree, 40, 'no');
    expect(onCancel.lines[1]).toBe('  Name: [Ada                 ]');
    expect(onCancel.lines[2]).toBe('  [ OK ]  > [ Cancel ]');
    expect(onCancel.cursor).toBeNull();
    expect(onCancel.focusRow).toBe(2);
  });

  it('shows the placeholder in an empty input', () => {
    const r = text({ type: 'input', id: 'q', placeholder: 'search' }, 30);
    expect(r.lines[0]).toBe('> [search              ]');
  });

  it('renders lists as bullet items with wrapped continuation lines indented', () => {
    const tree: UiNode = {
      type: 'list',
      children: [
        { type: 'text', text: 'milk' },
        { type: 'text', text: 'a very long item that wraps' },
      ],
    };
    expect(text(tree, 16).lines).toEqual(['* milk', '* a very long', '  item that', '  wraps']);
    const uni = layoutUi(renderTree(createUiState(), tree), 16, UNICODE_GLYPHS).lines.map(lineText);
    expect(uni[0]).toBe('• milk');
  });

  it('lays rows side by side, wrapping each child in its share and padding shorter columns', () => {
    const tree: UiNode = {
      type: 'row',
      children: [
        { type: 'text', text: 'left side text here' },
        { type: 'text', text: 'right side text here' },
      ],
    };
    expect(text(tree, 22).lines).toEqual(['left side   right side', 'text here   text here']);
  });

  it('stacks a row when the terminal is too narrow for its children', () => {
    const tree: UiNode = {
      type: 'row',
      children: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
        { type: 'text', text: 'c' },
      ],
    };
    expect(text(tree, 10).lines).toEqual(['a', 'b', 'c']);
  });

  it('scrolls a long input value so the caret stays visible', () => {
    const s0 = renderTree(createUiState(), { type: 'input', id: 'x', value: 'abcdefghijklmnopqrstuvwxyz' });
    const r = layoutUi(s0, 12, ASCII_GLYPHS);
    // An 8-cell field shows the last 7 characters and the caret cell after them.
    expect(lineText(r.lines[0]!)).toBe('> [tuvwxyz ]');
    expect(r.cursor).toEqual({ row: 0, col: 10 });
  });

  it('puts a long input label above a narrow field', () => {
    const r = text({ type: 'input', id: 'x', text: 'A rather long label' }, 14);
    expect(r.lines[0]).toBe('> A rather');
    expect(r.lines.at(-1)).toMatch(/^ {2}\[ +\]$/);
    expect(r.cursor!.row).toBe(r.lines.length - 1);
  });

  it('keeps every line within the width for arbitrary trees and widths', () => {
    // Plain letters and spaces, plus the characters that break terminals: controls, escapes, wide and combining.
    const tricky = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'x', ' ', 'W') },
      { weight: 2, arbitrary: fc.constantFrom('\n', '\t', '\r', '\x1b', '\x07', '\u009b', '\x7f', '\u2028') },
      { weight: 2, arbitrary: fc.constantFrom('日', '本', '😀', 'e\u0301', '\u200b') },
    );
    const leaf = fc.oneof(
      fc.record({ type: fc.constant('text' as const), text: fc.string({ maxLength: 60, unit: tricky }) }),
      fc.record({ type: fc.constant('button' as const), text: fc.string({ maxLength: 30, unit: tricky }) }),
      fc.record({
        type: fc.constant('input' as const),
        text: fc.option(fc.string({ maxLength: 20, unit: tricky }), { nil: undefined }),
        value: fc.string({ maxLength: 40, unit: tricky }),
        placeholder: fc.option(fc.string({ maxLength: 20, unit: tricky }), { nil: undefined }),
      }),
    );
    const { tree: treeArb } = fc.letrec<{ tree: UiNode }>((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf as fc.Arbitrary<UiNode>,
        fc.record({
          type: fc.constantFrom('row' as const, 'column' as const, 'list' as const),
          children: fc.array(tie('tree'), { maxLength: 4 }),
        }) as fc.Arbitrary<UiNode>,
      ),
    }));
    fc.assert(
      fc.property(treeArb, fc.integer({ min: 1, max: 60 }), (tree, width) => {
        // Give interactive nodes the unique ids the renderer requires.
        let n = 0;
        const stack: UiNode[] = [tree];
        while (stack.length) {
          const node = stack.pop()!;
          if (node.type === 'button' || node.type === 'input') node.id = `n${n++}`;
          stack.push(...(node.children ?? []));
        }
        const r = layoutUi(renderTree(createUiState(), tree), width, UNICODE_GLYPHS);
        for (const line of r.lines) {
          expect(strWidth(lineText(line))).toBeLessThanOrEqual(width);
          // Nothing that moves the cursor or starts an escape sequence reaches the terminal.
          expect(lineText(line)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        }
        if (r.cursor) {
          expect(r.cursor.row).toBeLessThan(r.lines.length);
          expect(r.cursor.col).toBeLessThan(width);
        }
      }),
      { numRuns: 300, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) },
    );
  });
});
