import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { AdapterCallContext, UiNode, UniversalInstruction } from '@fayger/contracts';
import { closeAll, expectCode, req, session, uiEvents, waitFor } from './helpers.js';

afterEach(closeAll);

const form = (opts: { name?: string; order?: 'ab' | 'ba'; extra?: boolean; disabled?: boolean } = {}): UiNode => ({
  type: 'column',
  children: [
    { type: 'text', text: 'Sign in' },
    {
      type: 'row',
      children: [
        ...(opts.extra ? [{ type: 'text' as const, text: 'new first child' }] : []),
        {
          type: 'input',
          id: 'name',
          placeholder: 'Your name',
          ...(opts.name !== undefined ? { value: opts.name } : {}),
        },
        { type: 'button', id: 'ok', text: 'OK', disabled: opts.disabled ?? false },
      ],
    },
    {
      type: 'list',
      children: (opts.order === 'ba' ? ['b', 'a'] : ['a', 'b']).map((k) => ({
        type: 'button' as const,
        id: `item-${k}`,
        text: `Item ${k}`,
      })),
    },
  ],
});

describe('ui.* as DOM', () => {
  it('renders column, row, list, text, button and input; guest text is text, never HTML', async () => {
    const s = await session();
    await s.call('ui.render', {
      tree: {
        type: 'column',
        children: [
          { type: 'text', text: '<img src=x onerror="window.__pwned=1">' },
          { type: 'row', children: [{ type: 'button', id: 'b', text: '<b>bold</b>' }] },
          {
            type: 'list',
            children: [
              { type: 'text', text: 'one' },
              { type: 'text', text: 'two' },
            ],
          },
          { type: 'input', id: 'i', placeholder: 'type here', value: 'start' },
        ],
      },
    });
    const root = s.adapter.uiRoot(s.instanceId)!;
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    const items = root.querySelectorAll('ul[data-fayger-type="list"] > li');
    expect(Array.from(items).map((li) => li.textContent)).toEqual(['one', 'two']);
    expect(getComputedStyle(root.querySelector('[data-fayger-type="row"]')!).flexDirection).toBe('row');
    expect(getComputedStyle(root.querySelector('[data-fayger-type="column"]')!).flexDirection).toBe('column');
    const input = root.querySelector('input')!;
    expect(input.value).toBe('start');
    expect(input.placeholder).toBe('type here');
    await expect.element(page.getByRole('button', { name: '<b>bold</b>' })).toBeVisible();
    await s.call('ui.clear', {});
    expect(root.childElementCount).toBe(0);
  });

  it('a real click on a button arrives as a ui.event click; a disabled button sends nothing', async () => {
    const s = await session();
    await s.call('ui.render', { tree: form({ disabled: true }) });
    await userEvent.click(page.getByRole('button', { name: 'OK' }), { force: true }).catch(() => {});
    await userEvent.click(page.getByRole('button', { name: 'Item b' }));
    await waitFor(() => uiEvents(s).length >= 1);
    await s.call('ui.render', { tree: form({ disabled: false }) });
    await userEvent.click(page.getByRole('button', { name: 'OK' }));
    await waitFor(() => uiEvents(s).length >= 2);
    expect(uiEvents(s)).toEqual([
      { nodeId: 'item-b', kind: 'click' },
      { nodeId: 'ok', kind: 'click' },
    ]);
    for (const e of s.events) expect(e.instanceId).toBe(s.instanceId);
  });

  it('typing sends input events with the value, Enter sends submit, Escape a key event', async () => {
    const s = await session();
    await s.call('ui.render', { tree: form() });
    const box = page.getByRole('textbox', { name: 'Your name' });
    await userEvent.type(box, 'Ada');
    await userEvent.keyboard('{Enter}');
    await userEvent.keyboard('{Escape}');
    await waitFor(() => uiEvents(s).some((e) => e.kind === 'key'));
    expect(uiEvents(s)).toEqual([
      { nodeId: 'name', kind: 'input', value: 'A' },
      { nodeId: 'name', kind: 'input', value: 'Ad' },
      { nodeId: 'name', kind: 'input', value: 'Ada' },
      { nodeId: 'name', kind: 'submit', value: 'Ada' },
      { nodeId: 'name', kind: 'key', key: 'Escape' },
    ]);
  });

  it('re-rendering keeps elements, focus, caret and typed text; moves keyed nodes; a new guest value wins', async () => {
    const s = await session();
    await s.call('ui.render', { tree: form() });
    const root = s.adapter.uiRoot(s.instanceId)!;
    const input = root.querySelector<HTMLInputElement>('[data-fayger-id="name"]')!;
    const itemA = root.querySelector('[data-fayger-id="item-a"]')!;
    await userEvent.type(page.getByRole('textbox'), 'hello');
    expect(document.activeElement).toBe(input);

    // A sibling inserted before the input, list items swapped, no value from the guest: nothing the user did is lost.
    await s.call('ui.render', { tree: form({ order: 'ba', extra: true }) });
    expect(root.querySelector('[data-fayger-id="name"]')).toBe(input);
    expect(input.value).toBe('hello');
    expect(document.activeElement).toBe(input);
    expect(input.selectionStart).toBe(5);
    expect(root.querySelector('[data-fayger-id="item-a"]')).toBe(itemA);
    expect(Array.from(root.querySelectorAll('li')).map((li) => li.textContent)).toEqual(['Item b', 'Item a']);

    // A controlled input echoing a value the user has typed past (late render) does not clobber the text.
    await s.call('ui.render', { tree: form({ name: 'hel' }) });
    expect(input.value).toBe('hello');
    await userEvent.keyboard('!');
    expect(input.value).toBe('hello!');

    // A value the user never typed is the guest's: it is applied.
    await s.call('ui.render', { tree: form({ name: 'reset by guest' }) });
    expect(input.value).toBe('reset by guest');

    // After a submit the guest may clear the field even with the value it rendered before.
    await s.call('ui.render', { tree: form({ name: '' }) });
    await userEvent.type(page.getByRole('textbox'), 'x');
    await userEvent.keyboard('{Enter}');
    await waitFor(() => uiEvents(s).some((e) => e.kind === 'submit'));
    await s.call('ui.render', { tree: form({ name: '' }) });
    expect(input.value).toBe('');
  });

  it('each instance renders into its own root; closing an instance removes its UI', async () => {
    const container = document.createElement('section');
    document.body.appendChild(container);
    const a = await session({ container });
    const b = await session({ container });
    await a.call('ui.render', { tree: { type: 'button', id: 'x', text: 'A' } });
    await b.call('ui.render', { tree: { type: 'button', id: 'x', text: 'B' } });
    expect(container.querySelectorAll('[data-fayger-instance]').length).toBe(2);
    await userEvent.click(page.getByRole('button', { name: 'B' }));
    await waitFor(() => uiEvents(b).length === 1);
    expect(uiEvents(a)).toEqual([]);
    await a.bus.close(a.instanceId);
    expect(container.querySelector(`[data-fayger-instance="${a.instanceId}"]`)).toBeNull();
    container.remove();
  });

  it('rejects bad trees: through the bus at the boundary, and by the adapter itself when driven directly', async () => {
    const s = await session();
    const dup = {
      type: 'row',
      children: [
        { type: 'button', id: 'same', text: '1' },
        { type: 'input', id: 'same' },
      ],
    };
    await expectCode(s.call('ui.render', { tree: dup }), 'INSTRUCTION_INVALID');
    const direct = (tree: unknown) =>
      Promise.resolve().then(() =>
        s.adapter.handle(
          { v: 1, id: 'd', op: 'ui.render', args: { tree }, instanceId: 'direct' } as UniversalInstruction,
          {
            instanceId: 'direct',
            callId: 'd',
            capability: 'ui',
            grant: { name: 'ui' },
            scope: undefined,
            grants: new Map([['ui', { name: 'ui' }]]),
            remaining: {},
            signal: new AbortController().signal,
            emit: () => {},
          } as AdapterCallContext,
        ),
      );
    const e = await expectCode(direct(dup), 'BROWSER_UI_TREE_INVALID');
    expect(e.message).toContain('same');
    await expectCode(direct({ type: 'button', text: 'no id' }), 'BROWSER_UI_TREE_INVALID');
    let deep: UiNode = { type: 'text', text: 'bottom' };
    for (let i = 0; i < 40; i++) deep = { type: 'column', children: [deep] };
    await expectCode(direct(deep), 'BROWSER_UI_TREE_INVALID');
    await expectCode(direct({ type: 'marquee' }), 'BROWSER_UI_TREE_INVALID');
    await s.adapter.dispose('direct');
  });

  it('leaves a screenshot of a rendered UI in test-artifacts', async () => {
    const s = await session({}, [req('ui')]);
    await s.call('ui.render', { tree: form({ name: 'Ada Lovelace' }) });
    const path = await page.screenshot();
    expect(path).toMatch(/test-artifacts/);
  });
});
