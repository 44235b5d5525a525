import { FaygerError, type AdapterCallContext, type UiNode } from '@fayger/contracts';
import type { OpHandlers } from '../define.js';
import { DomUi, type DomUiOptions } from './dom-ui.js';

export interface DomUiHostOptions extends DomUiOptions {
  /**
   * Where instances render, each into its own `<div data-fayger-instance>`: an element, or a function giving one
   * per instance. Default: one `<div data-fayger-ui>` appended to `document.body` (removed on close when empty).
   */
  container?: Element | ((instanceId: string) => Element | null | undefined);
  /** The error when there is nothing to render into (default ADAPTER_UNSUPPORTED_OP). */
  unavailable?: (op: string, found: string) => unknown;
}

const isElement = (c: unknown): c is Element =>
  c !== null &&
  typeof c === 'object' &&
  typeof (c as Element).appendChild === 'function' &&
  !!(c as Element).ownerDocument;

/**
 * ui.render and ui.clear as DOM for every instance of an adapter (the browser's page, an in-app WebView, an
 * Electron renderer): a `DomUi` per instance, mounted on first render, ui.event sent through the latest call's
 * `emit`, released on dispose. It only touches the document it is given.
 */
export class DomUiHost {
  private readonly uis = new Map<string, DomUi>();
  private shared: Element | undefined;

  constructor(
    private readonly doc: Document | undefined,
    private readonly options: DomUiHostOptions = {},
  ) {}

  /** ui.render and ui.clear, to spread into an adapter's handlers. */
  get handlers(): Pick<OpHandlers, 'ui.render' | 'ui.clear'> {
    return {
      'ui.render': (a: { tree: UiNode }, ctx: AdapterCallContext) => {
        this.render(ctx, a.tree);
        return {};
      },
      'ui.clear': (_a: unknown, ctx: AdapterCallContext) => {
        if (!this.doc) throw this.unavailable('ui.clear', 'no document');
        this.uis.get(ctx.instanceId)?.clear();
        return {};
      },
    };
  }

  /** Renders `tree` for the instance, mounting its element on first use. */
  render(ctx: Pick<AdapterCallContext, 'instanceId' | 'emit'>, tree: unknown): void {
    let ui = this.uis.get(ctx.instanceId);
    const emit = (data: Parameters<ConstructorParameters<typeof DomUi>[1]>[0]) => ctx.emit({ type: 'ui.event', data });
    if (ui) ui.setEmitter(emit);
    else {
      const container = this.containerFor(ctx.instanceId);
      const root = container.ownerDocument.createElement('div');
      root.setAttribute('data-fayger-instance', ctx.instanceId);
      container.appendChild(root);
      ui = new DomUi(root, emit, this.options);
      this.uis.set(ctx.instanceId, ui);
    }
    ui.render(tree);
  }

  /** The renderer of an instance, once it has rendered. */
  get(instanceId: string): DomUi | undefined {
    return this.uis.get(instanceId);
  }

  instanceIds(): string[] {
    return [...this.uis.keys()];
  }

  /** Removes the instance's element and listeners. */
  dispose(instanceId: string): void {
    this.uis.get(instanceId)?.dispose();
    this.uis.delete(instanceId);
  }

  /** Disposes every instance; the default container goes too once empty. */
  close(): void {
    for (const id of this.instanceIds()) this.dispose(id);
    if (this.shared && this.shared.childElementCount === 0) this.shared.remove();
    this.shared = undefined;
  }

  private containerFor(instanceId: string): Element {
    if (!this.doc) throw this.unavailable('ui.render', 'no document');
    const given = this.options.container;
    if (given !== undefined) {
      const c = typeof given === 'function' ? given(instanceId) : given;
      if (isElement(c)) return c;
      throw this.unavailable('ui.render', `a container that is not an element (${c === null ? 'null' : typeof c})`);
    }
    if (!this.shared?.isConnected) {
      const body = this.doc.body ?? this.doc.documentElement;
      if (!body) throw this.unavailable('ui.render', 'a document without a body');
      this.shared = this.doc.createElement('div');
      this.shared.setAttribute('data-fayger-ui', '');
      body.appendChild(this.shared);
    }
    return this.shared;
  }

  private unavailable(op: string, found: string): unknown {
    return (
      this.options.unavailable?.(op, found) ??
      new FaygerError({
        code: 'ADAPTER_UNSUPPORTED_OP',
        phase: op,
        what: `${op} as DOM`,
        expected: 'a document, and an element to render into',
        found,
      })
    );
  }
}
