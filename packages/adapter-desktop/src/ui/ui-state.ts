import {
  checkUiTree,
  inputReleased,
  inputRendered,
  inputTyped,
  MAX_INPUT_LENGTH,
  type InputEcho,
  type UiFocusable,
} from '@fayger/adapter-core';
import type { UiNode, UniversalEventMap } from '@fayger/contracts';

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

/** An input as the terminal shows it: adapter-core's echo state (value, guest value, echoes) plus a cursor. */
export interface InputState extends InputEcho {
  /** Cursor position as a UTF-16 index into `value`, always on a code point boundary. */
  readonly cursor: number;
}

export type FocusTarget = UiFocusable;

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
export { MAX_INPUT_LENGTH };

export function createUiState(): UiState {
  return { tree: null, focusables: [], focusId: null, inputs: new Map(), ended: false };
}

/**
 * Replaces the rendered tree. Focus stays on the node with the same id when it still exists, otherwise moves
 * to the focusable at the same position. An input keeps what the user typed unless the guest sets a new
 * `value`: one differing from the value it rendered before (or any value after a click or submit) that is
 * not merely a late echo of an input event the user has since typed past.
 * Throws DESKTOP_UI_TREE_INVALID for a tree the terminal cannot drive.
 */
export function renderTree(state: UiState, tree: UiNode): UiState {
  const { focusables, inputs: inputNodes } = checkUiTree(tree, 'DESKTOP_UI_TREE_INVALID');
  const inputs = new Map<string, InputState>();
  for (const [id, node] of inputNodes) {
    const prev = state.inputs.get(id);
    const next = inputRendered(prev, node.value);
    // The cursor stays where the user left it unless the guest replaced the value.
    const cursor = prev && next.value === prev.value ? prev.cursor : next.value.length;
    inputs.set(id, { ...next, cursor });
  }
  let focusId: string | null = null;
  if (state.focusId !== null && focusables.some((f) => f.id === state.focusId)) {
    focusId = state.focusId;
  } else if (focusables.length > 0) {
    const oldIndex =
      state.focusId === null
        ? 0
        : Math.max(
            0,
            state.focusables.findIndex((f) => f.id === state.focusId),
          );
    focusId = focusables[Math.min(oldIndex, focusables.length - 1)]!.id;
  }
  return { tree, focusables, focusId, inputs, ended: state.ended };
}

export function clearTree(state: UiState): UiState {
  return { ...createUiState(), ended: state.ended };
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

function editInput(
  state: UiState,
  id: string,
  input: InputState,
  value: string,
  cursor: number,
): { state: UiState; events: UiOutput[] } {
  const inputs = new Map(state.inputs);
  const changed = value !== input.value;
  inputs.set(id, { ...inputTyped(input, value), cursor });
  const events: UiOutput[] = changed ? [{ type: 'ui.event', data: { nodeId: id, kind: 'input', value } }] : [];
  return { state: { ...state, inputs }, events };
}

/**
 * A click or submit is the user acting on the form: the guest's next render decides input values again,
 * so a guest that re-renders a fixed `value: ''` after "Add" clears the field it consumed.
 */
function releaseInputs(state: UiState): UiState {
  const inputs = new Map<string, InputState>();
  for (const [id, input] of state.inputs) inputs.set(id, { ...inputReleased(input), cursor: input.cursor });
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
      return editInput(
        state,
        focus.id,
        input,
        value.slice(0, cursor) + key.ch + value.slice(cursor),
        cursor + key.ch.length,
      );
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
        return {
          state: releaseInputs(state),
          events: [{ type: 'ui.event', data: { nodeId: focus.id, kind: 'submit', value } }],
        };
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
  return {
    state,
    events: [{ type: 'ui.event', data: { nodeId: keyEventNode(state), kind: 'key', key: keyName(key) } }],
  };
}

/** The value of an input as the user sees it now (undefined for an unknown id). */
export function inputValue(state: UiState, id: string): string | undefined {
  return state.inputs.get(id)?.value;
}
