import type { UiNode } from '@fayger/contracts';

/**
 * Stands in for the host app's native widgets in `ui: 'native'` mode: draws the tree in a panel styled
 * apart from the WebView, and sends taps and edits back as native ui events.
 */
export function nativePanelRenderer(panel: HTMLElement) {
  return (
    instanceId: string,
    tree: UiNode | null,
    send: (d: { nodeId: string; kind: 'click' | 'input' | 'submit'; value?: string }) => void,
  ): void => {
    const doc = panel.ownerDocument;
    let box = panel.querySelector(`[data-native-instance="${CSS.escape(instanceId)}"]`) as HTMLElement | null;
    if (!tree) {
      box?.remove();
      return;
    }
    if (!box) {
      box = doc.createElement('div');
      box.setAttribute('data-native-instance', instanceId);
      panel.appendChild(box);
    }
    const build = (n: UiNode): HTMLElement => {
      let el: HTMLElement;
      if (n.type === 'button') {
        el = doc.createElement('button');
        el.textContent = n.text ?? n.id ?? '';
        (el as HTMLButtonElement).disabled = n.disabled === true;
        el.addEventListener('click', () => send({ nodeId: n.id!, kind: 'click' }));
      } else if (n.type === 'input') {
        const i = doc.createElement('input');
        i.value = n.value ?? '';
        i.placeholder = n.placeholder ?? '';
        i.addEventListener('input', () => send({ nodeId: n.id!, kind: 'input', value: i.value }));
        el = i;
      } else if (n.type === 'text') {
        el = doc.createElement('span');
        el.textContent = n.text ?? '';
      } else {
        el = doc.createElement('div');
        el.className = `native-${n.type}`;
        for (const c of n.children ?? []) el.appendChild(build(c));
      }
      el.setAttribute('data-native-node', n.id ?? '');
      return el;
    };
    box.replaceChildren(build(tree));
  };
}
