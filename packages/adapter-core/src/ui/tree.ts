import { FaygerError, MAX_UI_DEPTH, UI_NODE_TYPES, type ErrorCode, type UiNode } from '@fayger/contracts';

/** A node the user can act on: an enabled button or input, in reading order. */
export interface UiFocusable {
  readonly id: string;
  readonly type: 'button' | 'input';
}

/** What a checked tree holds that renderers need. */
export interface UiTreeFacts {
  /** Enabled buttons and inputs in reading order. */
  focusables: UiFocusable[];
  /** Every input node (enabled or not) by id. */
  inputs: Map<string, UiNode>;
}

/**
 * The UI-tree rules every renderer relies on (the bus validates the schema too; a renderer repeats what it
 * depends on so it stays safe under any bus): node objects of a known type, string fields, ids non-empty and
 * unique, an id on every button and input (events name nodes by it), depth at most MAX_UI_DEPTH. Iterative, so
 * a hostile deep tree cannot overflow the JS stack before the depth check trips. `code` is the renderer's own
 * (default ADAPTER_UI_TREE_INVALID).
 */
export function checkUiTree(tree: unknown, code: ErrorCode = 'ADAPTER_UI_TREE_INVALID'): UiTreeFacts {
  const invalid = (path: string, expected: string, found: string, details: Record<string, unknown> = {}) =>
    new FaygerError({
      code,
      phase: 'ui.render',
      what: `rendering the UI tree at ${path || '/'}`,
      expected,
      found,
      details: { path, ...details },
    });
  const focusables: UiFocusable[] = [];
  const inputs = new Map<string, UiNode>();
  const seen = new Map<string, string>();
  const stack: Array<{ node: unknown; path: string; depth: number }> = [{ node: tree, path: '', depth: 1 }];
  while (stack.length > 0) {
    const { node, path, depth } = stack.pop()!;
    if (depth > MAX_UI_DEPTH) throw invalid(path, `a tree at most ${MAX_UI_DEPTH} levels deep`, 'a deeper tree');
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw invalid(path, 'a UI node object', node === null ? 'null' : Array.isArray(node) ? 'an array' : typeof node);
    }
    const n = node as Record<string, unknown>;
    if (typeof n.type !== 'string' || !(UI_NODE_TYPES as readonly string[]).includes(n.type)) {
      throw invalid(`${path}/type`, `one of ${UI_NODE_TYPES.join(', ')}`, JSON.stringify(n.type) ?? 'nothing');
    }
    for (const f of ['id', 'text', 'value', 'placeholder'] as const) {
      if (n[f] !== undefined && typeof n[f] !== 'string') throw invalid(`${path}/${f}`, 'a string', typeof n[f]);
    }
    if (n.disabled !== undefined && typeof n.disabled !== 'boolean')
      throw invalid(`${path}/disabled`, 'a boolean', typeof n.disabled);
    const id = n.id as string | undefined;
    if (id !== undefined) {
      if (id === '') throw invalid(`${path}/id`, 'a non-empty id', '""');
      const first = seen.get(id);
      if (first !== undefined)
        throw invalid(
          `${path}/id`,
          'ids unique within the tree',
          `${JSON.stringify(id)} again (first at ${first || '/'})`,
          { nodeId: id },
        );
      seen.set(id, path);
    }
    if (n.type === 'button' || n.type === 'input') {
      if (id === undefined)
        throw invalid(
          `${path}/id`,
          `an id on every ${n.type} (events name the node by it)`,
          `a ${n.type} without an id`,
        );
      if (n.disabled !== true) focusables.push({ id, type: n.type });
      if (n.type === 'input') inputs.set(id, n as unknown as UiNode);
    }
    if (n.children !== undefined) {
      if (!Array.isArray(n.children)) throw invalid(`${path}/children`, 'an array of nodes', typeof n.children);
      // Pushed in reverse so nodes pop in reading order.
      for (let i = n.children.length - 1; i >= 0; i--)
        stack.push({ node: n.children[i], path: `${path}/children/${i}`, depth: depth + 1 });
    }
  }
  return { focusables, inputs };
}
