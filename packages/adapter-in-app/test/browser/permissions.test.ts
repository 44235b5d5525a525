import './no-wasm.js';
import { createInstructionBus } from '@fayger/adapter-core';
import { directContext } from '@fayger/adapter-core/conformance';
import { FaygerError, type UniversalInstruction } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { installSimulator } from '../../simulator/install.js';
import { createInAppAdapter } from '../../src/index.js';

async function rejection(f: () => unknown): Promise<FaygerError> {
  try {
    await f();
  } catch (e) {
    if (FaygerError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('permission prompts in the simulator (real clicks)', () => {
  it('allow kv, deny net.http: the report says why, the bus denies, the adapter denies at call time', async () => {
    expect(typeof (globalThis as { WebAssembly?: unknown }).WebAssembly).toBe('undefined');
    const sim = installSimulator(document, 'android', {
      capabilities: [
        { name: 'log' },
        { name: 'clock' },
        { name: 'kv', permission: 'prompt' },
        { name: 'net.http', permission: 'prompt' },
        { name: 'ui' },
      ],
    });
    const a = await createInAppAdapter({ transport: 'android', ui: { mode: 'dom', container: sim.webview } });
    const pending = a.negotiate(
      [
        { name: 'log', required: true },
        { name: 'ui', required: true },
        { name: 'kv', required: true, reason: 'keep your drafts' },
        {
          name: 'net.http',
          required: false,
          reason: 'sync with the cloud',
          scope: { origins: ['https://api.example.com'] },
        },
      ],
      { allow: 'available' },
    );
    const dialog = page.getByRole('dialog', { name: 'Permission request' });
    await expect.element(dialog).toBeVisible();
    await expect.element(dialog).toHaveTextContent('kv — keep your drafts');
    // Kept as a test artifact: the simulator page with its permission prompt.
    await page.screenshot();
    await userEvent.click(page.getByRole('button', { name: 'Allow kv', exact: true }));
    await userEvent.click(page.getByRole('button', { name: "Don't Allow net.http", exact: true }));
    const report = await pending;
    expect(report.granted.map((g) => g.name).sort()).toEqual(['kv', 'log', 'ui']);
    expect(report.absentOptional).toEqual(['net.http']);
    const entry = report.entries.find((e) => e.name === 'net.http')!;
    expect(entry.granted).toBe(false);
    expect(entry.reason).toBe('the user denied net.http in the host app: the user tapped Don\u2019t Allow');
    await expect.element(dialog).not.toBeInTheDocument();

    const bus = createInstructionBus({ adapter: a, policy: { allow: 'available' } });
    bus.open({ instanceId: 'app1', grants: report });
    await bus.call('app1', 'kv.set', { key: 'draft', value: new TextEncoder().encode('hello') });
    expect(new TextDecoder().decode(sim.shell.kv.get('default\u0000draft'))).toBe('hello');
    const viaBus = await rejection(() =>
      bus.call('app1', 'net.http', { method: 'GET', url: 'https://api.example.com/x' }),
    );
    expect(viaBus.code).toBe('CAPABILITY_DENIED');
    const direct = await rejection(() =>
      a.handle(
        {
          v: 1,
          id: 'd',
          op: 'net.http',
          args: { method: 'GET', url: 'https://api.example.com/x' },
        } as UniversalInstruction,
        directContext('d', 'net.http', [{ name: 'net.http' }]),
      ),
    );
    expect(direct.code).toBe('INAPP_PERMISSION_DENIED');
    expect(direct.message).toContain('Don\u2019t Allow');
    await bus.call('app1', 'ui.render', {
      tree: {
        type: 'column',
        children: [{ type: 'text', text: 'Drafts saved; cloud sync is off (permission denied).' }],
      },
    });
    await page.screenshot();
    await bus.shutdown();
  });
});
