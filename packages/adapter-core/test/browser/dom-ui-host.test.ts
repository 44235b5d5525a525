import { FaygerError, type HostEventInput } from '@fayger/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { DomUiHost } from '../../src/dom/index.js';

const ctx = (instanceId: string, events: HostEventInput[] = []) =>
  ({ instanceId, emit: (e: HostEventInput) => events.push(e) }) as never;
const tree = (text: string) => ({
  type: 'column' as const,
  children: [
    { type: 'text' as const, id: 't', text },
    { type: 'button' as const, id: 'go', text: 'Go' },
  ],
});

afterEach(() => document.body.replaceChildren());

describe('DomUiHost', () => {
  it('mounts each instance in its own element of one shared container, and removes both on close', () => {
    const host = new DomUiHost(document, { styles: false });
    host.handlers['ui.render']!({ tree: tree('a') }, ctx('i1'));
    host.handlers['ui.render']!({ tree: tree('b') }, ctx('i2'));
    const shared = document.querySelectorAll('body > [data-fayger-ui]');
    expect(shared.length).toBe(1);
    expect(Array.from(shared[0]!.children, (e) => e.getAttribute('data-fayger-instance'))).toEqual(['i1', 'i2']);
    expect(host.get('i1')!.root.textContent).toContain('a');
    host.handlers['ui.clear']!({}, ctx('i1'));
    expect(host.get('i1')!.root.childElementCount).toBe(0);
    host.dispose('i1');
    expect(document.querySelector('[data-fayger-instance="i1"]')).toBeNull();
    expect(host.instanceIds()).toEqual(['i2']);
    host.close();
    expect(document.querySelector('[data-fayger-ui]')).toBeNull();
  });

  it('renders into a given container (element or per-instance function) and leaves it in place', () => {
    const a = document.body.appendChild(document.createElement('section'));
    const b = document.body.appendChild(document.createElement('section'));
    const host = new DomUiHost(document, { styles: false, container: (id) => (id === 'x' ? a : b) });
    host.render(ctx('x'), tree('in a'));
    host.render(ctx('y'), tree('in b'));
    expect(a.querySelector('[data-fayger-instance="x"]')?.textContent).toContain('in a');
    expect(b.querySelector('[data-fayger-instance="y"]')?.textContent).toContain('in b');
    host.close();
    expect([a.isConnected, b.isConnected, a.childElementCount, b.childElementCount]).toEqual([true, true, 0, 0]);
  });

  it('sends ui.event through the emit of the latest call', () => {
    const host = new DomUiHost(document, { styles: false });
    const first: HostEventInput[] = [];
    const latest: HostEventInput[] = [];
    host.render(ctx('i', first), tree('x'));
    host.render(ctx('i', latest), tree('y'));
    (host.get('i')!.find('go') as HTMLButtonElement).click();
    expect(first).toEqual([]);
    expect(latest).toMatchObject([{ type: 'ui.event', data: { nodeId: 'go', kind: 'click' } }]);
    host.close();
  });

  it("nothing to render into is the adapter's error; a bad tree is the configured code", () => {
    const made: string[] = [];
    const mine = new FaygerError({ code: 'INVALID_ARGUMENT', phase: 'ui.render', what: 'a planted error' });
    const unavailable = (op: string, found: string) => (made.push(`${op}: ${found}`), mine);
    expect(() => new DomUiHost(undefined, { unavailable }).render(ctx('i'), tree('x'))).toThrow(mine);
    const notElement = new DomUiHost(document, { unavailable, container: () => null });
    expect(() => notElement.render(ctx('i'), tree('x'))).toThrow(mine);
    expect(made).toEqual(['ui.render: no document', 'ui.render: a container that is not an element (null)']);
    expect(() => new DomUiHost(undefined).handlers['ui.clear']!({}, ctx('i'))).toThrow(
      expect.objectContaining({ code: 'ADAPTER_UNSUPPORTED_OP' }),
    );
    const host = new DomUiHost(document, { styles: false, invalidTreeCode: 'ADAPTER_UI_TREE_INVALID' });
    expect(() => host.render(ctx('i'), { type: 'marquee' })).toThrow(
      expect.objectContaining({ code: 'ADAPTER_UI_TREE_INVALID' }),
    );
    host.close();
  });
});
