import type { UiKey } from './ui-state.js';

/** The key object `node:readline` emits with `keypress` events. */
export interface KeypressInfo {
  sequence?: string;
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
}

const NAMED = new Set([
  'tab',
  'backspace',
  'delete',
  'left',
  'right',
  'up',
  'down',
  'home',
  'end',
  'escape',
  'pageup',
  'pagedown',
  'insert',
  'f1',
  'f2',
  'f3',
  'f4',
  'f5',
  'f6',
  'f7',
  'f8',
  'f9',
  'f10',
  'f11',
  'f12',
]);

/**
 * Normalises a readline `keypress` (its `str` and `key` arguments) into a UiKey; null for sequences the UI
 * has no meaning for (unknown escape sequences, mouse reports).
 */
export function keyFromKeypress(str: string | undefined, key: KeypressInfo | undefined): UiKey | null {
  const name = key?.name;
  const mods = { ctrl: key?.ctrl === true, meta: key?.meta === true, shift: key?.shift === true };
  if (name === 'return' || name === 'enter') return { name: 'enter', ...mods };
  if (name === 'space' && !mods.ctrl && !mods.meta) return { name: 'char', ch: ' ' };
  if (name !== undefined && NAMED.has(name)) return { name, ...mods };
  if ((mods.ctrl || mods.meta) && name !== undefined && /^[a-z0-9]$/.test(name)) return { name, ...mods };
  // eslint-disable-next-line no-control-regex
  if (typeof str === 'string' && str.length > 0 && !mods.ctrl && !mods.meta && !/[\u0000-\u001f\u007f]/.test(str)) {
    return { name: 'char', ch: str };
  }
  return null;
}
