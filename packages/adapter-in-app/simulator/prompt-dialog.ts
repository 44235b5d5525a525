import type { PermissionAnswer, PermissionRequestItem } from '../src/protocol/wire.js';

/**
 * The simulator's permission prompt: one in-page dialog per request, one Allow/Don't Allow pair per
 * capability, like the system sheet a host app shows. Tests answer it by clicking (real input).
 */
export function domPrompt(
  doc: Document,
  host: HTMLElement = doc.body,
): (items: PermissionRequestItem[]) => Promise<PermissionAnswer[]> {
  return (items) =>
    new Promise((resolve) => {
      if (items.length === 0) return resolve([]);
      const dialog = doc.createElement('div');
      dialog.setAttribute('role', 'dialog');
      dialog.setAttribute('aria-label', 'Permission request');
      dialog.className = 'sim-permission';
      const title = doc.createElement('h2');
      title.textContent = 'Allow this mini-app to use:';
      dialog.appendChild(title);
      const answers = new Map<string, PermissionAnswer>();
      for (const item of items) {
        const row = doc.createElement('div');
        row.className = 'sim-permission-row';
        row.setAttribute('data-capability', item.name);
        const label = doc.createElement('p');
        label.textContent = `${item.name}${item.reason ? ` — ${item.reason}` : ''}${item.scope?.origins ? ` (${item.scope.origins.join(', ')})` : ''}`;
        const allow = doc.createElement('button');
        allow.textContent = `Allow ${item.name}`;
        const deny = doc.createElement('button');
        deny.textContent = `Don't Allow ${item.name}`;
        const answer = (granted: boolean) => {
          answers.set(
            item.name,
            granted
              ? { name: item.name, granted }
              : { name: item.name, granted, reason: 'the user tapped Don\u2019t Allow' },
          );
          row.replaceChildren(
            label,
            Object.assign(doc.createElement('em'), { textContent: granted ? 'allowed' : 'denied' }),
          );
          if (answers.size === items.length) {
            dialog.remove();
            resolve(items.map((i) => answers.get(i.name)!));
          }
        };
        allow.addEventListener('click', () => answer(true));
        deny.addEventListener('click', () => answer(false));
        row.append(label, allow, deny);
        dialog.appendChild(row);
      }
      host.appendChild(dialog);
    });
}
