import { MAX_UI_DEPTH, UI_NODE_TYPES, type UiNode } from '@fayger/contracts';
import { browserError } from '../errors.js';

function invalid(path: string, expected: string, found: string, details: Record<string, unknown> = {}) {
  return browserError('BROWSER_UI_TREE_INVALID', 'ui.render', `rendering the UI tree at ${path || '/'}`, found, {
    expected,
    details: { path, ...details },
  });
}

/**
 * Checks a tree before any DOM is touched. The bus validates it too; the adapter repeats the checks it relies
 * on (ids, depth, field types) so it stays safe under any bus. Iterative: a hostile deep tree cannot overflow
 * the JS stack before the depth check trips.
 */
export function checkUiTree(tree: unknown): asserts tree is UiNode {
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
    if (n.disabled !== undefined && typeof n.disabled !== 'boolean') throw invalid(`${path}/disabled`, 'a boolean', typeof n.disabled);
    const id = n.id as string | undefined;
    if (id !== undefined) {
      if (id === '') throw invalid(`${path}/id`, 'a non-empty id', '""');
      const first = seen.get(id);
      if (first !== undefined) throw invalid(`${path}/id`, 'ids unique within the tree', `${JSON.stringify(id)} again (first at ${first || '/'})`, { nodeId: id });
      seen.set(id, path);
    }
    if ((n.type === 'button' || n.type === 'input') && id === undefined) {
      throw invalid(`${path}/id`, `an id on every ${n.type} (events name the node by it)`, `a ${n.type} without an id`);
    }
    if (n.children !== undefined) {
      if (!Array.isArray(n.children)) throw invalid(`${path}/children`, 'an array of nodes', typeof n.children);
      for (let i = n.children.length - 1; i >= 0; i--) stack.push({ node: n.children[i], path: `${path}/children/${i}`, depth: depth + 1 });
    }
  }
}
