import { Type, type Static } from 'typebox';
import { Literals } from './schema-helpers.js';

/**
 * The small declarative UI tree every UI-capable host renders (DOM in browser/in-app, terminal on desktop).
 * Node kinds: containers (column, row, list) and leaves (text, button, input).
 */
export const UI_NODE_TYPES = ['column', 'row', 'list', 'text', 'button', 'input'] as const;
export type UiNodeType = (typeof UI_NODE_TYPES)[number];

export const UiNodeSchema = Type.Cyclic(
  {
    UiNode: Type.Object(
      {
        type: Literals(UI_NODE_TYPES),
        /** Stable id; events name the node by it. Required for button and input. */
        id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
        text: Type.Optional(Type.String({ maxLength: 4096 })),
        value: Type.Optional(Type.String({ maxLength: 4096 })),
        placeholder: Type.Optional(Type.String({ maxLength: 256 })),
        disabled: Type.Optional(Type.Boolean()),
        children: Type.Optional(Type.Array(Type.Ref('UiNode'), { maxItems: 512 })),
      },
      { additionalProperties: false },
    ),
  },
  'UiNode',
);

export interface UiNode {
  type: UiNodeType;
  id?: string;
  text?: string;
  value?: string;
  placeholder?: string;
  disabled?: boolean;
  children?: UiNode[];
}

/** Deepest UI tree accepted; deeper trees are rejected before rendering (hostile guests). */
export const MAX_UI_DEPTH = 32;

/**
 * Depth of a (possibly unvalidated) tree, computed without recursion so a hostile 100,000-deep tree cannot
 * overflow the JS stack. Stops counting at `limit + 1`.
 */
export function uiTreeDepth(node: unknown, limit = MAX_UI_DEPTH): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[node, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    if (max > limit) return max;
    const children = (n as { children?: unknown } | null)?.children;
    if (Array.isArray(children)) for (const c of children) stack.push([c, d + 1]);
  }
  return max;
}

export type UiNodeStatic = Static<typeof UiNodeSchema>;
