import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PlatformAdapter, UiNode, UniversalEventMap } from '@fayger/contracts';
import { createMemoryAdapter } from '@fayger/adapter-core';
import { runExample } from '@fayger/build-examples';

const buf = fileURLToPath(new URL('../dist/ui-counter.buf', import.meta.url));

/** The memory adapter with ui, plus a scripted user: after the k-th ui.render it sends the k-th event. */
function scriptedUser(script: Array<UniversalEventMap['ui.event']>) {
  const base = createMemoryAdapter({ ui: true });
  const trees: UiNode[] = [];
  const adapter: PlatformAdapter = {
    id: 'scripted-ui',
    hostKind: 'desktop',
    available: () => base.available(),
    detect: () => 0,
    dispose: (id) => base.dispose(id),
    handle(ins, ctx) {
      const out = base.handle(ins, ctx);
      if (ins.op === 'ui.render') {
        trees.push((ins.args as { tree: UiNode }).tree);
        const next = script[trees.length - 1];
        if (next) setTimeout(() => ctx.emit({ type: 'ui.event', data: next }), 0);
      }
      return out;
    },
  };
  return { adapter, base, trees };
}

const texts = (t: UiNode): string[] => [
  ...(t.text !== undefined ? [t.text] : []),
  ...(t.children ?? []).flatMap(texts),
];

describe('examples/ui-counter through loader → runtime (interpreter) → bus', () => {
  it('on a host without ui, logs its state and exits 0 (same BuF as on a UI host)', async () => {
    const adapter = createMemoryAdapter();
    const { exit, instance } = await runExample(buf, { adapter, policy: { allow: 'available' } });
    expect(exit.error).toBeUndefined();
    expect(exit).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(instance.grants.absentOptional).toContain('ui');
    expect(adapter.logs.map((l) => l.message)).toEqual(['ui-counter: no ui on this host; state count=0 name=""']);
  });

  it('with ui: render → app.poll → update, driven by clicks and input until Quit', async () => {
    const { adapter, base, trees } = scriptedUser([
      { nodeId: 'inc', kind: 'click' },
      { nodeId: 'inc', kind: 'click' },
      { nodeId: 'dec', kind: 'click' },
      { nodeId: 'name', kind: 'input', value: 'Ada "the first"' },
      { nodeId: 'quit', kind: 'click' },
    ]);
    const { exit, instance } = await runExample(buf, { adapter, policy: { allow: 'available' } });
    expect(exit.error).toBeUndefined();
    expect(exit).toMatchObject({ state: 'Terminated', exitCode: 0 });
    expect(instance.grants.absentOptional).toEqual([]);
    expect(trees).toHaveLength(5);
    expect(texts(trees[0])).toEqual(['Hello, stranger!', 'Count: 0', '-1', '+1', 'Reset', 'Quit']);
    expect(trees[0].children?.[3].children?.[0]).toMatchObject({ type: 'button', id: 'dec', disabled: true });
    expect(texts(trees[2])).toContain('Count: 2');
    expect(texts(trees[4]).slice(0, 2)).toEqual(['Hello, Ada "the first"!', 'Count: 1']);
    expect(trees[4].children?.[2]).toEqual({
      type: 'input',
      id: 'name',
      value: 'Ada "the first"',
      placeholder: 'Your name',
    });
    const lines = base.logs.map((l) => l.message);
    expect(lines[0]).toBe('ui-counter: interactive');
    expect(lines.at(-1)).toBe('ui-counter: final state count=1 name="Ada \\"the first\\""');
    expect(base.uiTrees.get(instance.id) ?? null).toBeNull();
  });
});
