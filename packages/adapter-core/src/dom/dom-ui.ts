import type { ErrorCode, UiNode, UiNodeType, UniversalEventMap } from '@fayger/contracts';
import { checkUiTree } from '../ui/tree.js';
import { inputReleased, inputRendered, inputTyped, MAX_INPUT_LENGTH, type InputEcho } from '../ui/input-echo.js';

export type UiEventData = UniversalEventMap['ui.event'];

export interface DomUiOptions {
  /** Error code for a tree that cannot be rendered (default ADAPTER_UI_TREE_INVALID). */
  invalidTreeCode?: ErrorCode;
  /** Add the small default layout stylesheet to the document (default true; zero specificity, page CSS wins). */
  styles?: boolean;
}

/** Keys reported as `key` events from a focused button or input (typing itself arrives as `input`). */
const REPORTED_KEYS = new Set(['Escape', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown']);
const TAGS: Record<UiNodeType, string> = {
  column: 'div',
  row: 'div',
  list: 'ul',
  text: 'span',
  button: 'button',
  input: 'input',
};
const STYLE_ID = 'fayger-ui-style';
// :where() keeps specificity at zero so any page stylesheet overrides these defaults.
const CSS = `
:where([data-fayger-type="column"]) { display: flex; flex-direction: column; gap: 0.5em; }
:where([data-fayger-type="row"]) { display: flex; flex-direction: row; gap: 0.5em; align-items: center; }
:where([data-fayger-type="list"]) { margin: 0; padding-left: 1.25em; }
`;

const isInput = (el: unknown): el is HTMLInputElement => (el as Element | null)?.tagName === 'INPUT';
const isElement = (t: unknown): t is Element => typeof (t as Element | null)?.closest === 'function';

/**
 * One instance's UI as DOM under `root`, shared by the browser and in-app adapters. It touches only the DOM it
 * is handed (no globals), so adapter-core stays host-free. Nodes are matched across renders by id (id-less ones
 * by type and position), so elements — and with them focus, caret and what the user typed — survive
 * re-renders; input values follow the shared echo reducer. Guest text goes through textContent and attributes,
 * never HTML.
 */
export class DomUi {
  private byId = new Map<string, HTMLElement>();
  private inputs = new Map<string, InputEcho>();
  private readonly listeners: Array<[string, EventListener]>;
  private readonly code: ErrorCode | undefined;

  constructor(
    readonly root: HTMLElement,
    private emit: (data: UiEventData) => void,
    options: DomUiOptions = {},
  ) {
    this.code = options.invalidTreeCode;
    if (options.styles !== false) installStyles(root.ownerDocument);
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

  /** The element rendering node `id`, if on screen. */
  find(id: string): HTMLElement | undefined {
    return this.byId.get(id);
  }

  render(tree: unknown): void {
    checkUiTree(tree, this.code);
    const doc = this.root.ownerDocument;
    const focused = doc.activeElement as HTMLElement | null;
    const active = focused && this.root.contains(focused) ? focused : null;
    const selection = isInput(active)
      ? { start: active.selectionStart, end: active.selectionEnd, dir: active.selectionDirection }
      : null;

    const claimed = new Set<HTMLElement>();
    const newById = new Map<string, HTMLElement>();
    const top = this.sync(tree as UiNode, this.root.firstElementChild as HTMLElement | null, claimed, newById);
    if (this.root.firstElementChild !== top || this.root.childElementCount !== 1) this.root.replaceChildren(top);
    for (const id of this.inputs.keys()) if (newById.get(id)?.dataset.faygerType !== 'input') this.inputs.delete(id);
    this.byId = newById;

    // Moving an element (insertBefore) blurs it; put focus and caret back where the user left them.
    if (active?.isConnected && doc.activeElement !== active && this.root.contains(active)) {
      active.focus({ preventScroll: true });
      if (selection && isInput(active) && selection.start !== null && selection.end !== null) {
        active.setSelectionRange(selection.start, selection.end, selection.dir ?? undefined);
      }
    }
  }

  clear(): void {
    this.root.replaceChildren();
    this.byId.clear();
    this.inputs.clear();
  }

  /** Removes the listeners and the root element. */
  dispose(): void {
    for (const [type, fn] of this.listeners) this.root.removeEventListener(type, fn);
    this.clear();
    this.root.remove();
  }

  private sync(
    node: UiNode,
    candidate: HTMLElement | null,
    claimed: Set<HTMLElement>,
    newById: Map<string, HTMLElement>,
  ): HTMLElement {
    let el: HTMLElement | undefined;
    if (node.id !== undefined) {
      const old = this.byId.get(node.id);
      if (old && old.dataset.faygerType === node.type && !claimed.has(old)) el = old;
    } else if (
      candidate &&
      candidate.dataset.faygerType === node.type &&
      candidate.dataset.faygerId === undefined &&
      !claimed.has(candidate)
    ) {
      el = candidate;
    }
    if (!el) {
      el = this.root.ownerDocument.createElement(TAGS[node.type]);
      el.dataset.faygerType = node.type;
      if (node.type === 'button') (el as HTMLButtonElement).type = 'button';
      if (isInput(el)) {
        el.type = 'text';
        el.maxLength = MAX_INPUT_LENGTH;
        el.autocomplete = 'off';
        this.inputs.delete(node.id!);
      }
    }
    claimed.add(el);
    if (node.id !== undefined) {
      el.dataset.faygerId = node.id;
      newById.set(node.id, el);
    } else delete el.dataset.faygerId;

    if (node.type === 'text' || node.type === 'button') {
      if (el.textContent !== (node.text ?? '')) el.textContent = node.text ?? '';
      if (node.type === 'button') (el as HTMLButtonElement).disabled = node.disabled === true;
    } else if (node.type === 'input') this.syncInput(el as HTMLInputElement, node);
    else this.syncChildren(el, node, claimed, newById);
    return el;
  }

  private syncInput(el: HTMLInputElement, node: UiNode): void {
    el.disabled = node.disabled === true;
    setAttr(el, 'placeholder', node.placeholder);
    setAttr(el, 'aria-label', node.text ?? node.placeholder);
    const next = inputRendered(this.inputs.get(node.id!), node.value);
    this.inputs.set(node.id!, next);
    if (el.value !== next.value) el.value = next.value;
  }

  private syncChildren(
    el: HTMLElement,
    node: UiNode,
    claimed: Set<HTMLElement>,
    newById: Map<string, HTMLElement>,
  ): void {
    const isList = node.type === 'list';
    const oldSlots = Array.from(el.children) as HTMLElement[];
    const slotContent = (slot: HTMLElement | undefined): HTMLElement | null =>
      slot ? (isList ? (slot.firstElementChild as HTMLElement | null) : slot) : null;
    const wanted: HTMLElement[] = (node.children ?? []).map((child, i) => {
      const childEl = this.sync(child, slotContent(oldSlots[i]), claimed, newById);
      if (!isList) return childEl;
      // Each list item sits in its own <li>; the <li> travels with the node it holds.
      let li = childEl.parentElement;
      if (li?.tagName !== 'LI' || li.parentElement !== el || li.childElementCount !== 1) {
        li = this.root.ownerDocument.createElement('li');
        li.appendChild(childEl);
      }
      return li;
    });
    wanted.forEach((w, i) => {
      if (el.children[i] !== w) el.insertBefore(w, el.children[i] ?? null);
    });
    while (el.children.length > wanted.length) el.lastElementChild!.remove();
  }

  private nodeOf(target: EventTarget | null, type?: 'button' | 'input'): HTMLElement | null {
    if (!isElement(target)) return null;
    const el = target.closest<HTMLElement>(type ? `[data-fayger-type="${type}"]` : '[data-fayger-id]');
    return el && this.root.contains(el) && el.dataset.faygerId !== undefined ? el : null;
  }

  private release(): void {
    for (const [id, s] of this.inputs) this.inputs.set(id, inputReleased(s));
  }

  private onClick(e: Event): void {
    const el = this.nodeOf(e.target, 'button');
    if (!el || (el as HTMLButtonElement).disabled) return;
    this.release();
    this.emit({ nodeId: el.dataset.faygerId!, kind: 'click' });
  }

  private onInput(e: Event): void {
    const el = this.nodeOf(e.target, 'input') as HTMLInputElement | null;
    if (!el) return;
    const id = el.dataset.faygerId!;
    const s = this.inputs.get(id);
    if (s) this.inputs.set(id, inputTyped(s, el.value));
    this.emit({ nodeId: id, kind: 'input', value: el.value.slice(0, MAX_INPUT_LENGTH) });
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (e.isComposing) return;
    const el = this.nodeOf(e.target);
    if (!el) return;
    if (e.key === 'Enter' && isInput(el)) {
      this.release();
      this.emit({ nodeId: el.dataset.faygerId!, kind: 'submit', value: el.value.slice(0, MAX_INPUT_LENGTH) });
      return;
    }
    if (REPORTED_KEYS.has(e.key)) this.emit({ nodeId: el.dataset.faygerId!, kind: 'key', key: e.key });
  }
}

function installStyles(doc: Document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (doc.head ?? doc.documentElement).appendChild(style);
}

function setAttr(el: HTMLElement, name: string, value: string | undefined): void {
  if (value === undefined) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
