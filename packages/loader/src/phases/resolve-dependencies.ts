import { loaderError } from '../errors.js';
import type { LoadContext } from './context.js';

const PHASE = 'resolve-dependencies';

/**
 * Phase resolve-dependencies: every dependsOn target exists (and is not the signature section), the
 * graph over the whole index is acyclic, and selected sections get a load order with dependencies first
 * (ties by offset). Iterative DFS: 100k-entry indexes must not overflow the stack.
 */
export function resolveDependenciesPhase(ctx: LoadContext): void {
  const sections = ctx.signatureEntry ? ctx.entries.slice(0, -1) : ctx.entries;
  const byId = ctx.byId;
  for (const e of sections) {
    for (const d of e.dependsOn) {
      if (!byId.has(d)) {
        throw loaderError('LOADER_DEPENDENCY_MISSING', PHASE, {
          what: `resolving the dependencies of section ${e.id} (${e.name})`,
          expected: `section id ${d} in the index`,
          found: ctx.signatureEntry?.id === d ? 'the signature section' : 'no such section',
          details: { id: e.id, missing: d },
        });
      }
    }
  }
  const WHITE = 0,
    GREY = 1,
    BLACK = 2;
  const color = new Map<number, number>();
  const order: number[] = [];
  const included = new Set<number>();
  for (const s of ctx.selection.entries) if (s.included) included.add(s.id);
  for (const root of sections) {
    if ((color.get(root.id) ?? WHITE) !== WHITE) continue;
    if (root.dependsOn.length === 0) {
      color.set(root.id, BLACK);
      if (included.has(root.id)) order.push(root.id);
      continue;
    }
    const stack: { id: number; next: number }[] = [{ id: root.id, next: 0 }];
    color.set(root.id, GREY);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const deps = byId.get(top.id)!.dependsOn;
      if (top.next < deps.length) {
        const d = deps[top.next++]!;
        const c = color.get(d) ?? WHITE;
        if (c === GREY) {
          const cycle = stack.slice(stack.findIndex((f) => f.id === d)).map((f) => f.id);
          cycle.push(d);
          throw loaderError('LOADER_DEPENDENCY_CYCLE', PHASE, {
            what: 'resolving section dependencies',
            expected: 'an acyclic dependsOn graph',
            found: `cycle ${cycle.map((id) => `${id} (${byId.get(id)!.name})`).join(' → ')}`,
            details: { cycle },
          });
        }
        if (c === WHITE) {
          color.set(d, GREY);
          stack.push({ id: d, next: 0 });
        }
      } else {
        color.set(top.id, BLACK);
        if (included.has(top.id)) order.push(top.id);
        stack.pop();
      }
    }
  }
  ctx.selection.loadOrder = order;
}
