import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bundleForBrowser,
  chromiumAvailable,
  CHROMIUM_MISSING_MESSAGE,
  startHttpFixture,
  startStaticServer,
  withChromium,
} from '../../../tooling/browser-harness/src/index.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The standalone simulator page as a host app would load it: WebAssembly deleted by the first script, a CSP
// without 'unsafe-eval', the adapter bundle loaded after. Permission prompts are answered by real clicks.
describe.skipIf(!chromiumAvailable())('simulator page in Chromium (no WebAssembly, no eval)', () => {
  it.each(['webkit', 'message-port'] as const)(
    'runs the mini-app over %s: allow kv, deny net.http',
    { timeout: 60_000 },
    async (transport) => {
      const code = await bundleForBrowser(here('../simulator/page.ts'));
      const fixture = await startHttpFixture();
      const server = await startStaticServer({
        files: {
          '/index.html': readFileSync(here('../simulator/index.html'), 'utf8'),
          '/no-wasm.js': readFileSync(here('../simulator/no-wasm.js'), 'utf8'),
          '/page.js': code,
        },
      });
      try {
        await withChromium(async (s) => {
          await s.page.goto(
            `${server.origin}/index.html?transport=${transport}&http=${encodeURIComponent(fixture.origin)}`,
          );
          const dialog = s.page.getByRole('dialog', { name: 'Permission request' });
          await dialog.waitFor();
          await s.screenshot(`simulator-page-${transport}-prompt`);
          await s.page.getByRole('button', { name: 'Allow kv', exact: true }).click();
          await s.page.getByRole('button', { name: "Don't Allow net.http", exact: true }).click();
          const result = (await (
            await s.page.waitForFunction(
              () => (window as unknown as { __simResult?: unknown }).__simResult,
              undefined,
              { timeout: 20_000 },
            )
          ).jsonValue()) as Record<string, unknown>;
          await s.screenshot(`simulator-page-${transport}`);
          expect(result.error).toBeUndefined();
          expect(result.wasm).toBe('undefined');
          expect(result.evalAllowed).toBe(false);
          expect(result.granted).toEqual(['log', 'ui', 'kv']);
          expect(result.denied).toEqual([
            { name: 'net.http', reason: 'the user denied net.http in the host app: the user tapped Don\u2019t Allow' },
          ]);
          expect(result.kv).toBe('ok');
          expect(result.http).toBe('CAPABILITY_DENIED');
          await s.page.getByText('WebAssembly: absent; eval: blocked').waitFor();
          expect(s.errors).toEqual([]);
        });
      } finally {
        await server.close();
        await fixture.close();
      }
    },
  );

  it('allowing net.http fetches from the loopback fixture through the native side', { timeout: 60_000 }, async () => {
    const code = await bundleForBrowser(here('../simulator/page.ts'));
    const fixture = await startHttpFixture();
    const server = await startStaticServer({
      files: {
        '/index.html': readFileSync(here('../simulator/index.html'), 'utf8'),
        '/no-wasm.js': readFileSync(here('../simulator/no-wasm.js'), 'utf8'),
        '/page.js': code,
      },
    });
    try {
      await withChromium(async (s) => {
        await s.page.goto(
          `${server.origin}/index.html?transport=android&ui=native&http=${encodeURIComponent(fixture.origin)}`,
        );
        await s.page.getByRole('button', { name: 'Allow kv', exact: true }).click();
        await s.page.getByRole('button', { name: 'Allow net.http', exact: true }).click();
        const result = (await (
          await s.page.waitForFunction(() => (window as unknown as { __simResult?: unknown }).__simResult, undefined, {
            timeout: 20_000,
          })
        ).jsonValue()) as Record<string, unknown>;
        expect(result.error).toBeUndefined();
        expect(result.http).toBe('ok');
        expect(String(result.greeting)).toMatch(/^200 /);
        await s.screenshot('simulator-page-android-native-ui');
      });
    } finally {
      await server.close();
      await fixture.close();
    }
  });
});

describe.skipIf(chromiumAvailable())('simulator page in Chromium', () => {
  it.skip(CHROMIUM_MISSING_MESSAGE, () => {});
});
