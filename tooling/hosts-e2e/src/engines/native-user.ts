// The person in front of the native app: watches the native widgets the host app draws from ui.render trees
// and acts like the scripted user of the other UI hosts (test/helpers.ts): type "Ada" key by key, +1, +1, -1,
// Quit. Each step waits for the screen (the latest tree) to show the state the previous step produced, as the
// tmux and Chromium legs wait for their screens. Plain JS (runs inside Hermes as part of the native side, and
// in Node as the QuickJS embedder's native side).
import type { UiNode } from '@fayger/contracts';

export type UiEventData = { nodeId: string; kind: 'click' | 'input' | 'submit'; value?: string };

function find(n: UiNode, id: string): UiNode | undefined {
  if (n.id === id) return n;
  for (const c of n.children ?? []) {
    const f = find(c, id);
    if (f) return f;
  }
  return undefined;
}

const text = (t: UiNode, id: string) => find(t, id)?.text;
const enabled = (t: UiNode, id: string) => find(t, id) !== undefined && find(t, id)!.disabled !== true;

interface Step {
  /** What the screen must show before the user acts. */
  ready: (t: UiNode) => boolean;
  act: UiEventData;
}

/** The script; `name` is typed one key at a time (one input event per key, the value so far). */
export function scriptedUser(name: string): {
  onRender: (tree: UiNode | null, send: (d: UiEventData) => void) => void;
  stepsDone: () => number;
  total: number;
} {
  const steps: Step[] = [];
  const count = (n: number) => (t: UiNode) => text(t, 'count') === `Count: ${n}`;
  for (let i = 1; i <= name.length; i++) {
    const before = name.slice(0, i - 1);
    steps.push({
      ready: (t) => count(0)(t) && find(t, 'name')?.value === before,
      act: { nodeId: 'name', kind: 'input', value: name.slice(0, i) },
    });
  }
  steps.push({
    ready: (t) => count(0)(t) && text(t, 'greeting') === `Hello, ${name}!` && enabled(t, 'inc'),
    act: { nodeId: 'inc', kind: 'click' },
  });
  steps.push({ ready: (t) => count(1)(t) && enabled(t, 'inc'), act: { nodeId: 'inc', kind: 'click' } });
  steps.push({ ready: (t) => count(2)(t) && enabled(t, 'dec'), act: { nodeId: 'dec', kind: 'click' } });
  steps.push({ ready: (t) => count(1)(t) && enabled(t, 'quit'), act: { nodeId: 'quit', kind: 'click' } });
  let next = 0;
  return {
    total: steps.length,
    stepsDone: () => next,
    onRender(tree, send) {
      if (!tree || next >= steps.length) return;
      const step = steps[next]!;
      if (!step.ready(tree)) return;
      next++;
      send(step.act);
    },
  };
}
