import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory of stand-in OS tools (shell scripts) that record how they were called. Tests point a ToolEnv's
 * PATH at it, so detection and spawning run for real without touching the user's clipboard or desktop.
 */
export class FakeTools {
  readonly dir = mkdtempSync(join(tmpdir(), 'fayger-desktop-tools-'));
  readonly state = join(this.dir, 'state');

  constructor() {
    writeFileSync(this.state, '');
  }

  /** Adds an executable `name` whose body is `script` (POSIX sh; $STATE is the state directory). */
  add(name: string, script: string): string {
    const file = join(this.dir, name);
    writeFileSync(file, `#!/bin/sh\nSTATE=${JSON.stringify(this.dir)}\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /** Adds a tool that writes its arguments, one per line, to `<name>.args` and stdin to `<name>.stdin`. */
  recorder(name: string, exitCode = 0): string {
    return this.add(
      name,
      `: > "$STATE/${name}.args"\nfor a in "$@"; do printf '%s\\n' "$a" >> "$STATE/${name}.args"; done\ncat > "$STATE/${name}.stdin"\nexit ${exitCode}`,
    );
  }

  read(file: string): string | null {
    const p = join(this.dir, file);
    return existsSync(p) ? readFileSync(p, 'utf8') : null;
  }

  args(name: string): string[] | null {
    const t = this.read(`${name}.args`);
    return t === null ? null : t.split('\n').slice(0, -1);
  }

  cleanup(): void {
    const pid = this.read('bg.pid');
    if (pid) {
      try {
        process.kill(Number(pid));
      } catch {
        // Already gone.
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
