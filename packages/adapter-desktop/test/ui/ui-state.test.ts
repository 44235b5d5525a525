import { FaygerError, type UiNode } from '@fayger/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_INPUT_LENGTH,
  ROOT_NODE_ID,
  applyKey,
  clearTree,
  createUiState,
  inputValue,
  renderTree,
  type UiKey,
  type UiOutput,
  type UiState,
} from '../../src/index.js';

const form = (value?: string): UiNode => ({
  type: 'column',
  id: 'root',
  children: [
    { type: 'text', text: 'Hello' },
    { type: 'input', id: 'name', placeholder: 'your name', ...(value !== undefined ? { value } : {}) },
    {
      type: 'row',
      children: [
        { type: 'button', id: 'ok', text: 'OK' },
        { type: 'button', id: 'cancel', text: 'Cancel' },
      ],
    },
  ],
});

const ch = (c: string): UiKey => ({ name: 'char', ch: c });
const k = (name: string, extra: Partial<UiKey> = {}): UiKey => ({ name, ...extra });

function press(state: UiState, ...keys: UiKey[]): { state: UiState; events: UiOutput[] } {
  const events: UiOutput[] = [];
  let s = state;
  for (const key of keys) {
    const r = applyKey(s, key);
    s = r.state;
    events.push(...r.events);
  }
  return { state: s, events };
}

const typed = (text: string) => [...text].map(ch);

describe('renderTree', () => {
  it('collects enabled buttons and inputs in reading order and focuses the first', () => {
    const s = renderTree(createUiState(), form());
    expect(s.focusables.map((f) => f.id)).toEqual(['name', 'ok', 'cancel']);
    expect(s.focusId).toBe('name');
  });

  it('skips disabled nodes when focusing', () => {
    const tree: UiNode = {
      type: 'column',
      children: [
        { type: 'button', id: 'a', disabled: true },
        { type: 'button', id: 'b' },
      ],
    };
    const s = renderTree(createUiState(), tree);
    expect(s.focusables.map((f) => f.id)).toEqual(['b']);
    expect(s.focusId).toBe('b');
  });

  it('rejects a button without an id, naming the path', () => {
    const tree = { type: 'column', children: [{ type: 'text' }, { type: 'button', text: 'x' }] } as UiNode;
    let err: unknown;
    try {
      renderTree(createUiState(), tree);
    } catch (e) {
      err = e;
    }
    expect(FaygerError.is(err, 'DESKTOP_UI_TREE_INVALID')).toBe(true);
    expect((err as FaygerError).details.path).toBe('/children/1/id');
    expect((err as FaygerError).message).toMatch(/without an id/);
  });

  it('rejects duplicate ids, unknown node types and non-object nodes', () => {
    const dup: UiNode = {
      type: 'row',
      children: [
        { type: 'button', id: 'x' },
        { type: 'input', id: 'x' },
      ],
    };
    expect(() => renderTree(createUiState(), dup)).toThrow(/unique within the tree/);
    expect(() => renderTree(createUiState(), { type: 'video' } as unknown as UiNode)).toThrow(/one of column/);
    expect(() => renderTree(createUiState(), { type: 'row', children: [null] } as unknown as UiNode)).toThrow(
      expect.objectContaining({ code: 'DESKTOP_UI_TREE_INVALID' }),
    );
  });

  it('rejects a hostile 100,000-deep tree without overflowing the stack', () => {
    let deep: UiNode = { type: 'text', text: 'leaf' };
    for (let i = 0; i < 100_000; i++) deep = { type: 'column', children: [deep] };
    expect(() => renderTree(createUiState(), deep)).toThrow(
      expect.objectContaining({ code: 'DESKTOP_UI_TREE_INVALID' }),
    );
  });

  it('keeps focus on the same id across renders, or the same position when that id is gone', () => {
    let s = renderTree(createUiState(), form());
    s = press(s, k('tab'), k('tab')).state;
    expect(s.focusId).toBe('cancel');
    s = renderTree(s, form());
    expect(s.focusId).toBe('cancel');
    const without: UiNode = {
      type: 'column',
      children: [
        { type: 'button', id: 'a' },
        { type: 'button', id: 'b' },
        { type: 'button', id: 'c' },
      ],
    };
    s = renderTree(s, without);
    expect(s.focusId).toBe('c');
  });

  it('clearTree drops the tree and focus', () => {
    const s = clearTree(renderTree(createUiState(), form()));
    expect(s.tree).toBeNull();
    expect(s.focusId).toBeNull();
    expect(applyKey(s, k('tab')).events).toEqual([]);
  });
});

describe('applyKey: focus', () => {
  it('Tab and Down go forward, Shift-Tab and Up go back, wrapping around', () => {
    let s = renderTree(createUiState(), form());
    const order: Array<string | null> = [];
    for (const key of [k('tab'), k('tab'), k('tab'), k('down'), k('tab', { shift: true }), k('up'), k('up')]) {
      s = applyKey(s, key).state;
      order.push(s.focusId);
    }
    expect(order).toEqual(['ok', 'cancel', 'name', 'ok', 'name', 'cancel', 'ok']);
  });

  it('Left and Right move between buttons but edit the caret inside an input', () => {
    let s = renderTree(createUiState(), form());
    s = press(s, ...typed('ab'), k('left')).state;
    expect(s.focusId).toBe('name');
    expect(s.inputs.get('name')!.cursor).toBe(1);
    s = press(s, k('tab'), k('right')).state;
    expect(s.focusId).toBe('cancel');
    s = press(s, k('left')).state;
    expect(s.focusId).toBe('ok');
  });
});

describe('applyKey: buttons', () => {
  it('Enter and Space on a button emit click', () => {
    const s = press(renderTree(createUiState(), form()), k('tab')).state;
    expect(applyKey(s, k('enter')).events).toEqual([{ type: 'ui.event', data: { nodeId: 'ok', kind: 'click' } }]);
    expect(applyKey(s, ch(' ')).events).toEqual([{ type: 'ui.event', data: { nodeId: 'ok', kind: 'click' } }]);
  });

  it('other keys on a button become key events for shortcuts', () => {
    const s = press(renderTree(createUiState(), form()), k('tab')).state;
    expect(applyKey(s, ch('q')).events).toEqual([{ type: 'ui.event', data: { nodeId: 'ok', kind: 'key', key: 'q' } }]);
    expect(applyKey(s, k('escape')).events).toEqual([
      { type: 'ui.event', data: { nodeId: 'ok', kind: 'key', key: 'escape' } },
    ]);
    expect(applyKey(s, k('x', { ctrl: true })).events[0]).toMatchObject({ data: { key: 'ctrl+x' } });
  });

  it('key events without focus name the root, or $root when it has no id', () => {
    const textOnly = renderTree(createUiState(), { type: 'text', text: 'hi' });
    expect(applyKey(textOnly, ch('q')).events).toEqual([
      { type: 'ui.event', data: { nodeId: ROOT_NODE_ID, kind: 'key', key: 'q' } },
    ]);
    const withId = renderTree(createUiState(), { type: 'column', id: 'main', children: [] });
    expect(applyKey(withId, k('enter')).events[0]).toMatchObject({
      data: { nodeId: 'main', kind: 'key', key: 'enter' },
    });
  });
});

describe('applyKey: inputs', () => {
  it('typing emits one input event per key with the whole value', () => {
    const { events, state } = press(renderTree(createUiState(), form()), ...typed('hi!'));
    expect(events.map((e) => (e.type === 'ui.event' ? e.data.value : null))).toEqual(['h', 'hi', 'hi!']);
    expect(inputValue(state, 'name')).toBe('hi!');
  });

  it('edits at the caret: Left, Backspace, Delete, Home, End', () => {
    let s = press(renderTree(createUiState(), form()), ...typed('abcd')).state;
    s = press(s, k('left'), k('left'), k('backspace')).state; // ab|cd -> a|cd
    expect(inputValue(s, 'name')).toBe('acd');
    s = press(s, k('delete')).state; // a|d
    expect(inputValue(s, 'name')).toBe('ad');
    s = press(s, k('home'), ch('>'), k('end'), ch('<')).state;
    expect(inputValue(s, 'name')).toBe('>ad<');
    const noop = press(s, k('end'), k('delete'));
    expect(noop.events).toEqual([]);
  });

  it('treats a surrogate pair as one character', () => {
    let s = press(renderTree(createUiState(), form()), ch('a'), ch('😀'), ch('b')).state;
    s = press(s, k('left'), k('left')).state;
    expect(s.inputs.get('name')!.cursor).toBe(1);
    s = press(s, k('delete')).state;
    expect(inputValue(s, 'name')).toBe('ab');
  });

  it('Enter submits the current value', () => {
    const { events } = press(renderTree(createUiState(), form()), ...typed('yo'), k('enter'));
    expect(events.at(-1)).toEqual({ type: 'ui.event', data: { nodeId: 'name', kind: 'submit', value: 'yo' } });
  });

  it('ignores control characters and refuses to grow past the limit', () => {
    const s0 = renderTree(createUiState(), form('x'.repeat(MAX_INPUT_LENGTH)));
    expect(applyKey(s0, ch('y')).events).toEqual([]);
    expect(applyKey(s0, ch('\u0007')).events).toEqual([]);
  });

  it('keeps typed text when the guest re-renders the same value, and drops stale echoes', () => {
    let s = renderTree(createUiState(), form(''));
    s = press(s, ...typed('ab')).state;
    s = renderTree(s, form('')); // same tree again (e.g. a timer tick)
    expect(inputValue(s, 'name')).toBe('ab');
    s = renderTree(s, form('a')); // late echo of the first input event
    expect(inputValue(s, 'name')).toBe('ab');
    s = renderTree(s, form('ab')); // echo caught up
    expect(inputValue(s, 'name')).toBe('ab');
    s = renderTree(s, form('reset by guest'));
    expect(inputValue(s, 'name')).toBe('reset by guest');
  });

  it('after a submit the guest decides the value again, so it can clear the field', () => {
    let s = renderTree(createUiState(), form(''));
    s = press(s, ...typed('milk'), k('enter')).state;
    s = renderTree(s, form(''));
    expect(inputValue(s, 'name')).toBe('');
  });
});

describe('applyKey: Ctrl-C', () => {
  it('emits app.lifecycle terminating once, then ignores keys', () => {
    const s = renderTree(createUiState(), form());
    const r = applyKey(s, k('c', { ctrl: true }));
    expect(r.events).toEqual([{ type: 'app.lifecycle', data: { state: 'terminating' } }]);
    expect(r.state.ended).toBe(true);
    expect(applyKey(r.state, k('c', { ctrl: true })).events).toEqual([]);
    expect(applyKey(r.state, ch('a')).events).toEqual([]);
  });

  it('works before any tree is rendered', () => {
    expect(applyKey(createUiState(), k('c', { ctrl: true })).events).toHaveLength(1);
  });
});

describe('applyKey: properties', () => {
  const keyArb: fc.Arbitrary<UiKey> = fc.oneof(
    fc
      .constantFrom('tab', 'enter', 'backspace', 'delete', 'left', 'right', 'up', 'down', 'home', 'end', 'escape')
      .map((name) => ({ name })),
    fc.record({ name: fc.constant('tab'), shift: fc.constant(true) }),
    fc.string({ minLength: 1, maxLength: 2 }).map((c) => ({ name: 'char', ch: c })),
  );

  it('focus stays on a focusable node, the caret in range, and every event names a node of the tree', () => {
    fc.assert(
      fc.property(fc.array(keyArb, { maxLength: 60 }), (keys) => {
        let s = renderTree(createUiState(), form());
        const ids = new Set(['root', 'name', 'ok', 'cancel']);
        for (const key of keys) {
          const r = applyKey(s, key);
          s = r.state;
          expect(s.focusables.some((f) => f.id === s.focusId)).toBe(true);
          const inp = s.inputs.get('name')!;
          expect(inp.cursor).toBeGreaterThanOrEqual(0);
          expect(inp.cursor).toBeLessThanOrEqual(inp.value.length);
          for (const ev of r.events) {
            expect(ev.type).toBe('ui.event');
            if (ev.type === 'ui.event') {
              expect(ids.has(ev.data.nodeId)).toBe(true);
              if (ev.data.kind === 'input' || ev.data.kind === 'submit') expect(ev.data.value).toBe(inp.value);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
