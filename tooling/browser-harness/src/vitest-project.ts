import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import { defineProject, type TestProjectInlineConfiguration } from 'vitest/config';
import { CHROMIUM_ARGS, CHROMIUM_MISSING_MESSAGE, CHROMIUM_PATH, chromiumAvailable } from './chromium.js';
import { harnessCommands } from './commands.js';

type ProjectConfig = ReturnType<typeof defineProject>;

export interface BrowserProjectOptions {
  /** Test files, relative to the package (default `['test/browser/**\/*.test.ts']`). */
  include?: string[];
  /** Project name shown by vitest (default: the package folder name; vitest appends ` (chromium)`). */
  name?: string;
  /** Per-test timeout in ms (default 15000). */
  testTimeout?: number;
  /** Where screenshots go, relative to the package (default `test-artifacts`, gitignored). */
  artifactsDir?: string;
  /** Viewport of the test page (default 1024×768). */
  viewport?: { width: number; height: number };
}

const skipNotice = fileURLToPath(new URL('./chromium-missing.notice.ts', import.meta.url));

/**
 * A vitest project that runs `include` inside Debian's Chromium (vitest browser mode, playwright provider),
 * with the source export condition, harness commands (HTTP fixtures) and screenshots in `test-artifacts/`.
 * When the browser is absent it becomes a Node project holding one skipped test that says how to install it,
 * so `vitest run` stays green and says why nothing ran.
 */
export function defineBrowserProject(options: BrowserProjectOptions = {}): ProjectConfig {
  const name = options.name ?? process.cwd().split(/[\\/]/).pop() ?? 'browser';
  const conditions = ['@fayger/source'];
  if (!chromiumAvailable()) {
    return defineProject({
      resolve: { conditions },
      ssr: { resolve: { conditions } },
      test: { name, include: [skipNotice], dir: fileURLToPath(new URL('.', import.meta.url)) },
    });
  }
  const config: TestProjectInlineConfiguration = {
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    server: { host: '127.0.0.1' },
    test: {
      name,
      include: options.include ?? ['test/browser/**/*.test.ts'],
      testTimeout: options.testTimeout ?? 15_000,
      hookTimeout: 30_000,
      // Screenshot attachments shown in reports land beside the screenshots, in the gitignored folder.
      attachmentsDir: `${options.artifactsDir ?? 'test-artifacts'}/attachments`,
      // One page at a time: the machine has 2 cores and other suites run beside this one.
      fileParallelism: false,
      browser: {
        enabled: true,
        headless: true,
        ui: false,
        api: { host: '127.0.0.1', port: 0, strictPort: false },
        provider: playwright({
          launchOptions: { executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true, timeout: 30_000 },
          actionTimeout: 10_000,
          // Tests of clipboard features run without a permission prompt (headless has nobody to click it).
          contextOptions: { permissions: ['clipboard-read', 'clipboard-write'] },
        }),
        instances: [{ browser: 'chromium' }],
        viewport: options.viewport ?? { width: 1024, height: 768 },
        screenshotDirectory: options.artifactsDir ?? 'test-artifacts',
        screenshotFailures: true,
        commands: harnessCommands,
      },
    },
  };
  return defineProject(config);
}

export { CHROMIUM_MISSING_MESSAGE };
