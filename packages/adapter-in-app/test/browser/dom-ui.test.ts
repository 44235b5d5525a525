import './no-wasm.js';
import { createInstructionBus } from '@fayger/adapter-core';
import type { UniversalEvent } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { installSimulator } from '../../simulator/install.js';
import { DomUi } from '@fayger/adapter-core/dom';
import { createInAppAdapter } from '../../src/index.js';

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
};

describe("ui in the WebView's DOM and in native widgets", () => {
  it("'dom' mode: a late re-render that only echoes an earlier keystroke keeps what the user typed since", () => {
    const mount = document.createElement('div');
    document.body.append(mount);
    const sent: string[] = [];
    const r = new DomUi(mount, (e) => void sent.push(`${e.kind}:${e.value ?? ''}`));
    const tree = (value: string) => ({
      type: 'column' as const,
      children: [
        { type: 'input' as const, id: 'name', value },
        { type: 'button' as const, id: 'go', text: 'Go' },
      ],
    });
    const input = () => mount.querySelector('input')!;
    const type = (v: string) => {
      input().value = v;
      input().dispatchEvent(new Event('input', { bubbles: true }));
    };
    r.render(tree(''));
    input().focus();
    type('A');
    type('Ad'); // the guest has not answered "A" yet (slow bridge)
    r.render(tree('A')); // its late re-render for "A"
    expect(input().value).toBe('Ad');
    expect(document.activeElement).toBe(input());
    type('Ada');
    r.render(tree('Ad'));
    r.render(tree('Ada'));
    expect(input().value).toBe('Ada');
    // After a click the guest's value wins, even one the user typed before (e.g. it clears the field).
    (mount.querySelector('button') as HTMLButtonElement).click();
    r.render(tree(''));
    expect(input().value).toBe('');
    expect(sent).toEqual(['input:A', 'input:Ad', 'input:Ada', 'click:']);
    mount.remove();
  });

  it("'dom' mode: clicks, typing and Enter become ui.event; a re-render keeps the focused input", async () => {
    const sim = installSimulator(document, 'react-native');
    const a = await createInAppAdapter({ transport: 'react-native', ui: { mode: 'dom', container: sim.webview } });
    expect(a.uiMode).toBe('dom');
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    bus.open({ instanceId: 'app', grants: bus.negotiate([{ name: 'ui', required: true }]) });
    const events: UniversalEvent[] = [];
    bus.subscribe('app', (e) => events.push(e));
    const tree = (value: string) => ({
      type: 'column' as const,
      children: [
        { type: 'text' as const, text: '<b>not markup</b>' },
        { type: 'input' as const, id: 'name', placeholder: 'Your name', value },
        {
          type: 'row' as const,
          children: [
            { type: 'button' as const, id: 'save', text: 'Save' },
            { type: 'button' as const, id: 'off', text: 'Off', disabled: true },
          ],
        },
      ],
    });
    await bus.call('app', 'ui.render', { tree: tree('') });
    await expect.element(page.getByText('<b>not markup</b>')).toBeVisible();
    await userEvent.type(page.getByPlaceholder('Your name'), 'Ada');
    await bus.call('app', 'ui.render', { tree: tree('Ada') });
    await userEvent.keyboard('!{Enter}');
    await userEvent.click(page.getByRole('button', { name: 'Save' }));
    await until(() => events.some((e) => (e.data as { kind: string }).kind === 'click'));
    const seen = events.map((e) => e.data as { nodeId: string; kind: string; value?: string });
    expect(seen.filter((d) => d.kind === 'input').map((d) => d.value)).toEqual(['A', 'Ad', 'Ada', 'Ada!']);
    expect(seen.find((d) => d.kind === 'submit')).toEqual({ nodeId: 'name', kind: 'submit', value: 'Ada!' });
    expect(seen.at(-1)).toEqual({ nodeId: 'save', kind: 'click' });
    await page.screenshot();
    await bus.call('app', 'ui.clear', {});
    expect(sim.webview.textContent).toBe('');
    await bus.shutdown();
  });

  it("'native' mode: the tree goes over the bridge and native taps come back", async () => {
    const sim = installSimulator(document, 'webkit', { nativeUi: true });
    const a = await createInAppAdapter({ transport: 'webkit', ui: 'native' });
    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    bus.open({ instanceId: 'n1', grants: bus.negotiate([{ name: 'ui', required: true }]) });
    const events: UniversalEvent[] = [];
    bus.subscribe('n1', (e) => events.push(e));
    await bus.call('n1', 'ui.render', {
      tree: { type: 'column', children: [{ type: 'button', id: 'pay', text: 'Pay natively' }] },
    });
    expect(sim.shell.uiTrees.get('n1')).toBeTruthy();
    expect(sim.webview.textContent).toBe('');
    await userEvent.click(page.getByRole('button', { name: 'Pay natively' }));
    await until(() => events.length > 0);
    expect(events[0]!.data).toEqual({ nodeId: 'pay', kind: 'click' });
    await bus.shutdown();
  });
});
