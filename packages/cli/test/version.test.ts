import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.js';
import { fayger, tempDir } from './helpers.js';

describe('fayger --version', () => {
  it('prints the package version (src/version.ts is kept in step with package.json)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
    const r = fayger(tempDir(), '--version');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`fayger ${pkg.version}\n`);
  });

  it('`fayger run --help` and `fayger help run` print the run help without running anything', () => {
    const dir = tempDir();
    for (const args of [
      ['run', '--help'],
      ['run', 'x.wasm', '-h'],
      ['help', 'run'],
    ]) {
      const r = fayger(dir, ...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Exit codes (the guest');
      expect(r.stdout).toContain('134');
    }
  });
});
