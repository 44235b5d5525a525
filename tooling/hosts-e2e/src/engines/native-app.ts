// The host app's native side, shared by the Hermes and QuickJS legs: the adapter-in-app reference native shell
// (packages/adapter-in-app/simulator/native-shell.ts: the v1 wire protocol, log/clock/random/timer/ui) with
// native widgets played by the scripted user, and a permission prompt the user answers "Allow".
import type { PermissionAnswer, PermissionRequestItem } from '@fayger/adapter-in-app';
import { NativeShell } from '../../../../packages/adapter-in-app/simulator/native-shell.js';
import { scriptedUser } from './native-user.js';

/** What the app offers: `random` and `ui` need the user's permission (a prompt), the rest is granted. */
export const NATIVE_CAPABILITIES = [
  { name: 'log' as const },
  { name: 'clock' as const },
  { name: 'random' as const, permission: 'prompt' as const },
  { name: 'timer' as const },
  { name: 'ui' as const, permission: 'prompt' as const },
];

export interface NativeApp {
  shell: NativeShell;
  /** Every permission prompt the user was shown (names asked), in order. */
  prompts: string[][];
  /** How many scripted UI steps the user performed, of how many. */
  user: { done: () => number; total: number };
}

export function createNativeApp(os: string, userName = 'Ada'): NativeApp {
  const prompts: string[][] = [];
  const user = scriptedUser(userName);
  const shell = new NativeShell({
    platform: { os, app: 'Fayger hosts-e2e native side', version: '1.0' },
    capabilities: NATIVE_CAPABILITIES,
    nativeUi: true,
    prompt: async (items: PermissionRequestItem[]): Promise<PermissionAnswer[]> => {
      prompts.push(items.map((i) => i.name));
      return items.map((i) => ({ name: i.name, granted: true }));
    },
    renderUi: (_instanceId, tree, send) => user.onRender(tree, send),
  });
  return { shell, prompts, user: { done: user.stepsDone, total: user.total } };
}
