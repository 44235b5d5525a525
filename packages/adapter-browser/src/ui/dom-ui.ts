import type { UiNode, UiNodeType, UniversalEventMap } from '@fayger/contracts';
import { checkUiTree } from './validate-tree.js';

export type UiEventData = UniversalEventMap['ui.event'];

/** Longest value an input accepts (the ui.event schema's limit). */
const MAX_INPUT_LENGTH = 4096;
/** Input events remembered per input to recognise a guest re-render that merely echoes one of them. */
const MAX_ECHOES = 64;
/** Keys reported as `key` events from a focused button or input (typing itself arrives as `input`). */
const REPORTED_KEYS = new Set(['Escape', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown']);

const TAGS: Record<UiNodeType, string> = { column: 'div', row: 'div', list: 'ul', text: 'span', button: 'button', input: 'input' };

interface InputState {
  /** The guest-supplied value at the last render. */
  guestValue: string | undefined;
  /** Values sent in input events since the guest last set the value. */
  echoes: string[];
  /** Set by a click or submit: the next guest value applies even if it equals the last one (clearing a field). */
  armed: boolean;
}

const STYLE_ID = 'fayger-ui-style';
// :where() keeps specificity at zero so any page stylesheet overrides these defaults.
const CSS = `
:where([data-fayger-type="column"]) { display: flex; flex-direction: column; gap: 0.5em; }
:where([data-fayger-type="row"]) { display: flex; flex-direction: row; gap: 0.5em; align-items: center; }
:where([data-fayger-type="list"]) { margin: 0; padding-left: 1.25em; }
`;

export function installDefaultStyles(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (doc.head ?? doc.documentElement).appendChild(style);
}

/**
 * One instance's UI as DOM under `root`. Nodes are matched across renders by id (then, for id-less nodes, by
 * type and position), so elements — and with them focus, caret and what the user typed — survive re-renders.
 * All guest text goes through textContent/attributes, never HTML.
 */
export class DomUi {
  private byId = new Map<string, HTMLElement>();
  private inputs = new Map<string, InputState>();
  private emit: (data: UiEventData) => void;
  private readonly listeners: Array<[string, EventListener]>;

  constructor(
    private readonly root: HTMLElement,
    emit: (data: UiEventData) => void,
  ) {
    this.emit = emit;
    this.listeners = [
      ['click', (e) => this.onClick(e)],
      ['input', (e) => this.onInput(e)],
      ['keydown', (e) => this.onKeyDown(e as KeyboardEvent)],
    ];
    for (const [type, fn] of this.listeners) root.addEventListener(type, fn);
  }

  /** Events go to the latest emitter (the one from the most recent ui.* call). */
  setEmitter(emit: (data: UiEventData) => void): void {
    this.emit = emit;
  }

  render(tree: unknown): void {
    checkUiTree(tree);
    const doc = this.root.ownerDocument;
    const active = doc.activeElement instanceof HTMLElement && this.root.contains(doc.activeElement) ? doc.activeElement : null;
    const selection = active instanceof HTMLInputElement ? { start: active.selectionStart, end: active.selectionEnd, dir: active.selectionDirection } : null;

    const claimed = new Set<HTMLElement>();
    const newById = new Map<string, HTMLElement>();
    const top = this.sync(tree, this.root.firstElementChild as HTMLElement | null, claimed, newById);
    if (this.root.firstElementChild !== top || this.root.childElementCount !== 1) this.root.replaceChildren(top);
    for (const id of this.inputs.keys()) if (newById.get(id)?.dataset.faygerType !== 'input') this.inputs.delete(id);
    for (const s of this.inputs.values()) s.armed = false;
    this.byId = newById;

    // Moving an element (insertBefore) blurs it; put focus and caret back where the user left them.
    if (active && active.isConnected && doc.activeElement !== active && this.root.contains(active)) {
      active.focus({ preventScroll: true });
      if (selection && active instanceof HTMLInputElement && selection.start !== null && selection.end !== null) {
        active.setSelectionRange(selection.start, selection.end, selection.dir ?? undefined);
      }
    }
  }

  clear(): void {
    this.root.replaceChildren();
    this.byId.clear();
    this.inputs.clear();
  }

  dispose(): void {
    for (const [type, fn] of this.listeners) this.root.removeEventListener(type, fn);
    this.clear();
    this.root.remove();
  }

  private sync(node: UiNode, candidate: HTMLElement | null, claimed: Set<HTMLElement>, newById: Map<string, HTMLElement>): HTMLElement {
    const doc = this.root.ownerDocument;
    let el: HTMLElement | undefined;
    if (node.id !== undefined) {
      const old = this.byId.get(node.id);
      if (old && old.dataset.faygerType === node.type && !claimed.has(old)) el = old;
    } else if (candidate && candidate.dataset.faygerType === node.type && candidate.dataset.faygerId === undefined && !claimed.has(candidate)) {
      el = candidate;
    }
    const fresh = el === undefined;
    if (!el) {
      el = doc.createElement(TAGS[node.type]);
      el.dataset.faygerType = node.type;
      if (node.type === 'button') (el as HTMLButtonElement).type = 'button';
      if (node.type === 'input') {
        (el as HTMLInputElement).type = 'text';
        (el as HTMLInputElement).maxLength = MAX_INPUT_LENGTH;
        (el as HTMLInputElement).autocomplete = 'off';
      }
    }
    claimed.add(el);
    if (node.id !== undefined) {
      el.dataset.faygerId = node.id;
      newById.set(node.id, el);
    } else delete el.dataset.faygerId;

    switch (node.type) {
      case 'text':
        setText(el, node.text ?? '');
        break;
      case 'button':
        setText(el, node.text ?? '');
        (el as HTMLButtonElement).disabled = node.disabled === true;
        break;
      case 'input':
        this.syncInput(el as HTMLInputElement, node, fresh);
        break;
      default:
        this.syncChildren(el, node, claimed, newById);
    }
    return el;
  }

  private syncInput(el: HTMLInputElement, node: UiNode, fresh: boolean): void {
    el.disabled = node.disabled === true;
    setAttr(el, 'placeholder', node.placeholder);
    setAttr(el, 'aria-label', node.text ?? node.placeholder);
    const id = node.id!;
    const guest = node.value?.slice(0, MAX_INPUT_LENGTH);
    const state = this.inputs.get(id);
    if (fresh || !state) {
      el.value = guest ?? '';
      this.inputs.set(id, { guestValue: guest, echoes: [], armed: false });
      return;
    }
    if (guest === undefined) {
      state.guestValue = undefined;
      return;
    }
    if (guest === el.value) {
      state.echoes = [];
    } else {
      const echoAt = state.echoes.lastIndexOf(guest);
      if (echoAt >= 0) {
        // A controlled input re-rendered with a value the user has since typed past: keep what they typed.
        state.echoes = state.echoes.slice(echoAt + 1);
      } else if (guest !== state.guestValue || state.armed) {
        el.value = guest;
        state.echoes = [];
      }
    }
    state.guestValue = guest;
  }

  private syncChildren(el: HTMLElement, node: UiNode, claimed: Set<HTMLElement>, newById: Map<string, HTMLElement>): void {
    const isList = node.type === 'list';
    const doc = this.root.ownerDocument;
    const oldSlots = Array.from(el.children) as HTMLElement[];
    const slotContent = (slot: HTMLElement | undefined): HTMLElement | null =>
      (slot ? (isList ? (slot.firstElementChild as HTMLElement | null) : slot) : null);
    const wanted: HTMLElement[] = [];
    (node.children ?? []).forEach((child, i) => {
      const childEl = this.sync(child, slotContent(oldSlots[i]), claimed, newById);
      if (!isList) {
        wanted.push(childEl);
        return;
      }
      // Each list item sits in its own <li>; the <li> travels with the node it holds.
      let li = childEl.parentElement;
      if (!(li instanceof HTMLLIElement) || li.parentElement !== el || li.childElementCount !== 1) {
        li = doc.createElement('li');
        li.appendChild(childEl);
      }
      wanted.push(li);
    });
    wanted.forEach((w, i) => {
      if (el.children[i] !== w) el.insertBefore(w, el.children[i] ?? null);
    });
    while (el.children.length > wanted.length) el.lastElementChild!.remove();
  }

  private nodeOf(target: EventTarget | null, type?: 'button' | 'input'): HTMLElement | null {
    if (!(target instanceof Element)) return null;
    const el = target.closest<HTMLElement>(type ? `[data-fayger-type="${type}"]` : '[data-fayger-id]');
    return el && this.root.contains(el) && el.dataset.faygerId !== undefined ? el : null;
  }

  private arm(): void {
    for (const s of this.inputs.values()) s.armed = true;
  }

  private onClick(e: Event): void {
    const el = this.nodeOf(e.target, 'button');
    if (!el || (el as HTMLButtonElement).disabled) return;
    this.arm();
    this.emit({ nodeId: el.dataset.faygerId!, kind: 'click' });
  }

  private onInput(e: Event): void {
    const el = this.nodeOf(e.target, 'input') as HTMLInputElement | null;
    if (!el) return;
    const state = this.inputs.get(el.dataset.faygerId!);
    if (state) {
      state.echoes.push(el.value);
      if (state.echoes.length > MAX_ECHOES) state.echoes.shift();
    }
    this.emit({ nodeId: el.dataset.faygerId!, kind: 'input', value: el.value });
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.isComposing) return;
    const el = this.nodeOf(e.target);
    if (!el) return;
    if (e.key === 'Enter' && el instanceof HTMLInputElement) {
      this.arm();
      this.emit({ nodeId: el.dataset.faygerId!, kind: 'submit', value: el.value });
      return;
    }
    if (REPORTED_KEYS.has(e.key)) this.emit({ nodeId: el.dataset.faygerId!, kind: 'key', key: e.key });
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el: HTMLElement, name: string, value: string | undefined): void {
  if (value === undefined) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
