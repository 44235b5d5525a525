/**
 * One input's value across guest re-renders: the reducer every renderer (DOM, terminal) shares, so a guest that
 * re-renders on every keystroke never fights the user. A guest value applies when it is new — it differs from
 * the value the guest rendered before, or the user clicked or submitted since (the guest may clear the field) —
 * unless it merely echoes an input event the user has since typed past (a late re-render over a slow bridge).
 */

/** Longest value an input holds (the ui.event schema's limit). */
export const MAX_INPUT_LENGTH = 4096;
/** Input events remembered per input to recognise an echo; older ones are forgotten (bounded memory). */
export const MAX_INPUT_ECHOES = 64;

export interface InputEcho {
  /** What the input shows. */
  readonly value: string;
  /** The guest-supplied value at the last render (undefined: none, or released by a click or submit). */
  readonly guestValue: string | undefined;
  /** Values sent in input events since the guest last set the value, oldest first, at most MAX_INPUT_ECHOES. */
  readonly echoes: readonly string[];
}

const clamp = (v: string) => (v.length > MAX_INPUT_LENGTH ? v.slice(0, MAX_INPUT_LENGTH) : v);

/** The input after a guest render that gives it `guest` (undefined: the node sets no value). */
export function inputRendered(prev: InputEcho | undefined, guest: string | undefined): InputEcho {
  const g = guest === undefined ? undefined : clamp(guest);
  if (!prev) return { value: g ?? '', guestValue: g, echoes: [] };
  if (g === undefined) return { ...prev, guestValue: undefined };
  if (g === prev.value) return { value: g, guestValue: g, echoes: [] };
  const at = prev.echoes.lastIndexOf(g);
  // The guest re-rendered with a value the user has since typed past: keep what they typed.
  if (at >= 0) return { ...prev, guestValue: g, echoes: prev.echoes.slice(at + 1) };
  // The same tree again: the user's edits stand.
  if (g === prev.guestValue) return prev;
  return { value: g, guestValue: g, echoes: [] };
}

/** The input after the user changed it to `value` (the value sent in the input event). */
export function inputTyped(prev: InputEcho, value: string): InputEcho {
  if (value === prev.value) return prev;
  return { ...prev, value, echoes: [...prev.echoes, value].slice(-MAX_INPUT_ECHOES) };
}

/** After a click or submit the guest's next render decides the value again (it may clear the field it consumed). */
export function inputReleased(prev: InputEcho): InputEcho {
  return { ...prev, guestValue: undefined, echoes: [] };
}
