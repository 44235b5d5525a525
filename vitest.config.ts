import { defineConfig } from 'vitest/config';

// Root run: every package is a vitest project with its own defineProject config.
export default defineConfig({
  test: { projects: ['packages/*', 'tooling/*'] },
});
