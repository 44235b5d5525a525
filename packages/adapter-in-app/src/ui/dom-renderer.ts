import type { UiNode, UniversalEventMap } from '@fayger/contracts';

export type UiEventData = UniversalEventMap['ui.event'];

/** Attribute naming the UI node an element renders (events and tests find nodes by it). */
export const NODE_ATTR = 'data-fayger-node';
/** Attribute naming the instance a mount element belongs to. */
export const INSTANCE_ATTR = 'data-fayger-instance';

/**
 * Renders a Fayger UI tree into one mount element with plain DOM calls (no innerHTML: guest text is never
 * markup). Re-rendering keeps the focused input and its caret when the new tree has a node with the same id,
 * so a guest that re-renders on every keystroke does not fight the user.
 */
export class DomUiRenderer {
  private tree: UiNode | null = null;
  /**
   * Per input id, the values the user typed that the guest has not caught up with yet. Over a slow bridge the
   * guest's re-render for "A" can arrive after the user typed "Ad": that re-render only echoes an earlier
   * keystroke and must not wipe the "d". After a click or submit the guest's value wins again (it may clear
   * the field), as in the browser and desktop adapters.
   */
  private readonly typed = new Map<string, string[]>();
  /** Values of the inputs on screen when the current render began, by id. */
  private onScreen = new Map<string, string>();
  constructor(
    readonly mount: HTMLElement,
    private readonly emit: (data: UiEventData) => void,
  ) {}

  get current(): UiNode | null {
    return this.tree;
  }

  render(tree: UiNode): void {
    const doc = this.mount.ownerDocument;
    const active = doc.activeElement as HTMLElement | null;
    const focusId = active && this.mount.contains(active) ? active.getAttribute(NODE_ATTR) : null;
    const caret = active instanceof doc.defaultView!.HTMLInputElement ? [active.selectionStart, active.selectionEnd] : null;
    this.onScreen = new Map();
    for (const el of Array.from(this.mount.querySelectorAll(`input[${NODE_ATTR}]`))) {
      this.onScreen.set(el.getAttribute(NODE_ATTR)!, (el as HTMLInputElement).value);
    }
    const root = this.build(tree, doc);
    this.mount.replaceChildren(root);
    this.tree = tree;
    if (focusId !== null) {
      const el = this.find(focusId);
      if (el) {
        el.focus();
        if (caret && el instanceof doc.defaultView!.HTMLInputElement && caret[0] !== null) el.setSelectionRange(caret[0], caret[1]);
      }
    }
  }

  clear(): void {
    this.mount.replaceChildren();
    this.tree = null;
    this.typed.clear();
  }

  find(nodeId: string): HTMLElement | null {
    for (const el of Array.from(this.mount.querySelectorAll(`[${NODE_ATTR}]`))) {
      if (el.getAttribute(NODE_ATTR) === nodeId) return el as HTMLElement;
    }
    return null;
  }

  // Iterative: the bus already bounds depth, but a wide tree should not cost stack either.
  /** The value an input shows after a re-render: the guest's, unless it merely echoes an earlier keystroke. */
  private valueFor(id: string, guest: string): string {
    const current = this.onScreen.get(id);
    const echoes = this.typed.get(id) ?? [];
    const at = current !== undefined && guest !== current ? echoes.lastIndexOf(guest) : -1;
    if (at >= 0) {
      this.typed.set(id, echoes.slice(at + 1));
      return current!;
    }
    this.typed.delete(id);
    return guest;
  }

  private build(tree: UiNode, doc: Document): HTMLElement {
    const rootEl = this.element(tree, doc);
    const stack: Array<[UiNode, HTMLElement]> = [[tree, rootEl]];
    while (stack.length > 0) {
      const [node, el] = stack.pop()!;
      for (const child of node.children ?? []) {
        const c = this.element(child, doc);
        if (node.type === 'list') {
          const li = doc.createElement('li');
          li.appendChild(c);
          el.appendChild(li);
        } else {
          el.appendChild(c);
        }
        stack.push([child, c]);
      }
    }
    return rootEl;
  }

  private element(node: UiNode, doc: Document): HTMLElement {
    let el: HTMLElement;
    switch (node.type) {
      case 'column':
      case 'row': {
        el = doc.createElement('div');
        el.style.display = 'flex';
        el.style.flexDirection = node.type;
        el.style.gap = '0.5em';
        break;
      }
      case 'list':
        el = doc.createElement('ul');
        break;
      case 'text':
        el = doc.createElement('span');
        el.textContent = node.text ?? node.value ?? '';
        break;
      case 'button': {
        const b = doc.createElement('button');
        b.type = 'button';
        b.textContent = node.text ?? node.id ?? '';
        b.disabled = node.disabled === true;
        const id = node.id!;
        b.addEventListener('click', () => {
          this.typed.clear();
          this.emit({ nodeId: id, kind: 'click' });
        });
        el = b;
        break;
      }
      case 'input': {
        const i = doc.createElement('input');
        i.type = 'text';
        const id = node.id!;
        i.value = this.valueFor(id, node.value ?? '');
        i.maxLength = 4096;
        if (node.placeholder !== undefined) i.placeholder = node.placeholder;
        if (node.text !== undefined) i.setAttribute('aria-label', node.text);
        i.disabled = node.disabled === true;
        i.addEventListener('input', () => {
          const list = this.typed.get(id) ?? [];
          list.push(i.value);
          this.typed.set(id, list);
          this.emit({ nodeId: id, kind: 'input', value: i.value.slice(0, 4096) });
        });
        i.addEventListener('keydown', (e) => {
          if (e.key !== 'Enter') return;
          this.typed.clear();
          this.emit({ nodeId: id, kind: 'submit', value: i.value.slice(0, 4096) });
        });
        el = i;
        break;
      }
      default:
        el = doc.createElement('div');
    }
    el.setAttribute('data-fayger-type', node.type);
    if (node.id !== undefined) el.setAttribute(NODE_ATTR, node.id);
    return el;
  }
}
