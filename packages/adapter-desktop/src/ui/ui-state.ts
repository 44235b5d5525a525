import { FaygerError, MAX_UI_DEPTH, UI_NODE_TYPES, type UiNode, type UniversalEventMap } from '@fayger/contracts';

/**
 * The terminal UI as a pure state machine: (state, tree) → state and (state, key) → state + events.
 * Nothing here touches a terminal, so every focus and editing rule is unit-testable.
 */

/** A key press, normalised from whatever the terminal library reports. */
export interface UiKey {
  /**
   * `char` for a printable character (in `ch`); otherwise a key name: tab, enter, backspace, delete, left,
   * right, up, down, home, end, escape, pageup, pagedown, insert, f1…f12, or a letter with `ctrl`.
   */
  name: string;
  ch?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

export type UiEventData = UniversalEventMap['ui.event'];

/** What a key press produced: UI events for the guest, or the user asking to end the app. */
export type UiOutput =
  | { type: 'ui.event'; data: UiEventData }
  | { type: 'app.lifecycle'; data: { state: 'terminating' } };

export interface InputState {
  readonly value: string;
  /** Cursor position as a UTF-16 index into `value`, always on a code point boundary. */
  readonly cursor: number;
  /** The guest-supplied value at the last render, to tell a guest edit from a repeated tree. */
  readonly guestValue: string | undefined;
  /** Values sent in input events since the guest last set the value: a re-render echoing one is stale. */
  readonly echoes: readonly string[];
}

export interface FocusTarget {
  readonly id: string;
  readonly type: 'button' | 'input';
}

export interface UiState {
  readonly tree: UiNode | null;
  /** Focusable nodes (enabled buttons and inputs) in reading order. */
  readonly focusables: readonly FocusTarget[];
  readonly focusId: string | null;
  readonly inputs: ReadonlyMap<string, InputState>;
  /** Set once the user pressed Ctrl-C; the state machine ignores further keys. */
  readonly ended: boolean;
}

/** Node id used in key events when neither a focused node nor the root has an id. */
export const ROOT_NODE_ID = '$root';
/** Longest value an input accepts (the ui.event schema's limit). */
export const MAX_INPUT_LENGTH = 4096;

export function createUiState(): UiState {
  return { tree: null, focusables: [], focusId: null, inputs: new Map(), ended: false };
}

interface Walked {
  focusables: FocusTarget[];
  inputNodes: Map<string, UiNode>;
}

function invalid(path: string, expected: string, found: string, details: Record<string, unknown> = {}): FaygerError {
  return new FaygerError({
    code: 'DESKTOP_UI_TREE_INVALID',
    phase: 'ui.render',
    what: `rendering the UI tree at ${path || '/'}`,
    expected,
    found,
    details: { path, ...details },
  });
}

// Iterative so a hostile deep tree cannot overflow the JS stack before the depth check trips.
function walk(tree: unknown): Walked {
  const focusables: FocusTarget[] = [];
  const inputNodes = new Map<string, UiNode>();
  const seen = new Set<string>();
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: tree, path: '', depth: 1 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (depth > MAX_UI_DEPTH) throw invalid(path, `a tree at most ${MAX_UI_DEPTH} levels deep`, 'a deeper tree');
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw invalid(path, 'a UI node object', node === null ? 'null' : Array.isArray(node) ? 'an array' : typeof node);
    }
    const n = node as Partial<UiNode> & Record<string, unknown>;
    if (typeof n.type !== 'string' || !(UI_NODE_TYPES as readonly string[]).includes(n.type)) {
      throw invalid(`${path}/type`, `one of ${UI_NODE_TYPES.join(', ')}`, JSON.stringify(n.type) ?? 'nothing');
    }
    for (const f of ['id', 'text', 'value', 'placeholder'] as const) {
      if (n[f] !== undefined && typeof n[f] !== 'string') throw invalid(`${path}/${f}`, 'a string', typeof n[f]);
    }
    if (n.id !== undefined) {
      if (n.id === '') throw invalid(`${path}/id`, 'a non-empty id', '""');
      if (seen.has(n.id)) {
        throw invalid(`${path}/id`, 'ids unique within the tree', `${JSON.stringify(n.id)} used twice`, { nodeId: n.id });
      }
      seen.add(n.id);
    }
    if ((n.type === 'button' || n.type === 'input') && n.id === undefined) {
      throw invalid(`${path}/id`, `an id on every ${n.type} (events name the node by it)`, `a ${n.type} without an id`);
    }
    if ((n.type === 'button' || n.type === 'input') && n.disabled !== true) {
      focusables.push({ id: n.id!, type: n.type });
    }
    if (n.type === 'input') inputNodes.set(n.id!, n as UiNode);
    if (n.children !== undefined) {
      if (!Array.isArray(n.children)) throw invalid(`${path}/children`, 'an array of nodes', typeof n.children);
      // Pushed in reverse so nodes pop in reading order.
      for (let i = n.children.length - 1; i >= 0; i--) {
        stack.push({ node: n.children[i], path: `${path}/children/${i}`, depth: depth + 1 });
      }
    }
  }
  return { focusables, inputNodes };
}

/**
 * Replaces the rendered tree. Focus stays on the node with the same id when it still exists, otherwise moves
 * to the focusable at the same position. An input keeps what the user typed unless the guest sets a new
 * `value`: one differing from the value it rendered before (or any value after a click or submit) that is
 * not merely a late echo of an input event the user has since typed past.
 * Throws DESKTOP_UI_TREE_INVALID for a tree the terminal cannot drive.
 */
export function renderTree(state: UiState, tree: UiNode): UiState {
  const { focusables, inputNodes } = walk(tree);
  const inputs = new Map<string, InputState>();
  for (const [id, node] of inputNodes) {
    const prev = state.inputs.get(id);
    const guest = node.value !== undefined ? clampInput(node.value) : undefined;
    if (!prev) {
      const value = guest ?? '';
      inputs.set(id, { value, cursor: value.length, guestValue: guest, echoes: [] });
      continue;
    }
    if (guest === undefined || guest === prev.value) {
      inputs.set(id, { ...prev, guestValue: guest, echoes: guest === prev.value ? [] : prev.echoes });
      continue;
    }
    const echoAt = prev.echoes.lastIndexOf(guest);
    if (echoAt >= 0) {
      // The guest re-rendered with a value the user has since typed past.
      inputs.set(id, { ...prev, guestValue: guest, echoes: prev.echoes.slice(echoAt + 1) });
      continue;
    }
    if (guest === prev.guestValue) {
      // The same tree again: the user's edits stand.
      inputs.set(id, prev);
      continue;
    }
    inputs.set(id, { value: guest, cursor: guest.length, guestValue: guest, echoes: [] });
  }
  let focusId: string | null = null;
  if (state.focusId !== null && focusables.some((f) => f.id === state.focusId)) {
    focusId = state.focusId;
  } else if (focusables.length > 0) {
    const oldIndex = state.focusId === null ? 0 : Math.max(0, state.focusables.findIndex((f) => f.id === state.focusId));
    focusId = focusables[Math.min(oldIndex, focusables.length - 1)]!.id;
  }
  return { tree, focusables, focusId, inputs, ended: state.ended };
}

export function clearTree(state: UiState): UiState {
  return { ...createUiState(), ended: state.ended };
}

function clampInput(v: string): string {
  return v.length > MAX_INPUT_LENGTH ? v.slice(0, MAX_INPUT_LENGTH) : v;
}

function prevBoundary(s: string, i: number): number {
  if (i <= 0) return 0;
  const c = s.charCodeAt(i - 1);
  return c >= 0xdc00 && c <= 0xdfff && i >= 2 ? i - 2 : i - 1;
}

function nextBoundary(s: string, i: number): number {
  if (i >= s.length) return s.length;
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? i + 2 : i + 1;
}

function isPrintable(ch: string): boolean {
  // eslint-disable-next-line no-control-regex
  return ch.length > 0 && !/[\u0000-\u001f\u007f-\u009f]/.test(ch);
}

function moveFocus(state: UiState, delta: 1 | -1): UiState {
  const n = state.focusables.length;
  if (n === 0) return state;
  const i = state.focusables.findIndex((f) => f.id === state.focusId);
  const next = i < 0 ? (delta === 1 ? 0 : n - 1) : (i + delta + n) % n;
  return { ...state, focusId: state.focusables[next]!.id };
}

function keyEventNode(state: UiState): string {
  return state.focusId ?? state.tree?.id ?? ROOT_NODE_ID;
}

function keyName(key: UiKey): string {
  const base = key.name === 'char' ? (key.ch ?? '') : key.name;
  const mods = `${key.ctrl ? 'ctrl+' : ''}${key.meta ? 'meta+' : ''}${key.shift && key.name !== 'char' ? 'shift+' : ''}`;
  return (mods + base).slice(0, 32);
}

function editInput(state: UiState, id: string, input: InputState, value: string, cursor: number): { state: UiState; events: UiOutput[] } {
  const inputs = new Map(state.inputs);
  const changed = value !== input.value;
  const echoes = changed ? [...input.echoes, value].slice(-64) : input.echoes;
  inputs.set(id, { ...input, value, cursor, echoes });
  const events: UiOutput[] = changed ? [{ type: 'ui.event', data: { nodeId: id, kind: 'input', value } }] : [];
  return { state: { ...state, inputs }, events };
}

/**
 * A click or submit is the user acting on the form: the guest's next render decides input values again,
 * so a guest that re-renders a fixed `value: ''` after "Add" clears the field it consumed.
 */
function releaseInputs(state: UiState): UiState {
  const inputs = new Map<string, InputState>();
  for (const [id, input] of state.inputs) inputs.set(id, { ...input, guestValue: undefined, echoes: [] });
  return { ...state, inputs };
}

/** Applies one key press. Returns the next state and the events it produced (possibly none). */
export function applyKey(state: UiState, key: UiKey): { state: UiState; events: UiOutput[] } {
  const none = { state, events: [] as UiOutput[] };
  if (state.ended) return none;
  if (key.ctrl && key.name === 'c') {
    return { state: { ...state, ended: true }, events: [{ type: 'app.lifecycle', data: { state: 'terminating' } }] };
  }
  if (state.tree === null) return none;

  if (key.name === 'tab') return { state: moveFocus(state, key.shift ? -1 : 1), events: [] };
  if (key.name === 'down') return { state: moveFocus(state, 1), events: [] };
  if (key.name === 'up') return { state: moveFocus(state, -1), events: [] };

  const focus = state.focusables.find((f) => f.id === state.focusId);
  const input = focus?.type === 'input' ? state.inputs.get(focus.id) : undefined;

  if (focus && input) {
    const { value, cursor } = input;
    if (key.name === 'char' && key.ch !== undefined && !key.ctrl && !key.meta && isPrintable(key.ch)) {
      if (value.length + key.ch.length > MAX_INPUT_LENGTH) return none;
      return editInput(state, focus.id, input, value.slice(0, cursor) + key.ch + value.slice(cursor), cursor + key.ch.length);
    }
    switch (key.name) {
      case 'backspace': {
        const at = prevBoundary(value, cursor);
        return editInput(state, focus.id, input, value.slice(0, at) + value.slice(cursor), at);
      }
      case 'delete': {
        const to = nextBoundary(value, cursor);
        return editInput(state, focus.id, input, value.slice(0, cursor) + value.slice(to), cursor);
      }
      case 'left':
        return editInput(state, focus.id, input, value, prevBoundary(value, cursor));
      case 'right':
        return editInput(state, focus.id, input, value, nextBoundary(value, cursor));
      case 'home':
        return editInput(state, focus.id, input, value, 0);
      case 'end':
        return editInput(state, focus.id, input, value, value.length);
      case 'enter':
        return { state: releaseInputs(state), events: [{ type: 'ui.event', data: { nodeId: focus.id, kind: 'submit', value } }] };
    }
  } else if (focus) {
    if (key.name === 'enter' || (key.name === 'char' && key.ch === ' ' && !key.ctrl && !key.meta)) {
      return { state: releaseInputs(state), events: [{ type: 'ui.event', data: { nodeId: focus.id, kind: 'click' } }] };
    }
    if (key.name === 'left') return { state: moveFocus(state, -1), events: [] };
    if (key.name === 'right') return { state: moveFocus(state, 1), events: [] };
  }

  // Anything not consumed above is reported as a key event so apps can offer shortcuts (q, Escape, F1…).
  if (key.name === 'char' && (key.ch === undefined || !isPrintable(key.ch))) return none;
  return { state, events: [{ type: 'ui.event', data: { nodeId: keyEventNode(state), kind: 'key', key: keyName(key) } }] };
}

/** The value of an input as the user sees it now (undefined for an unknown id). */
export function inputValue(state: UiState, id: string): string | undefined {
  return state.inputs.get(id)?.value;
}
