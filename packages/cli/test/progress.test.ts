import { describe, expect, it } from 'vitest';
import { runCli, EXIT_CODES, type CliIo } from '../src/index.js';
import { tempDir, writeApp } from './helpers.js';

function captureIo(cwd: string, tty: boolean): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    stderrIsTTY: tty,
    cwd,
  };
  return io;
}

describe('progress bars (in-process runCli)', () => {
  it('draws on a TTY for large files and stays silent otherwise', async () => {
    const dir = tempDir();
    writeApp(dir, undefined, 9 * 1024 * 1024);
    const quiet = captureIo(dir, false);
    expect(await runCli(['pack', 'app', '-o', 'big.buf'], quiet)).toBe(EXIT_CODES.OK);
    expect(quiet.err).toBe('');

    const tty = captureIo(dir, true);
    expect(await runCli(['inspect', 'big.buf', '--json'], tty)).toBe(EXIT_CODES.OK);
    expect(tty.err).toMatch(/\rreading big\.buf \[#+\] 100% 9\.\d\/9\.\d MiB/);
    expect(tty.err.endsWith('\r\x1b[2K')).toBe(true);
    // stdout stays clean JSON.
    expect(JSON.parse(tty.out).sections).toHaveLength(3);
  });

  it('small files get no bar even on a TTY', async () => {
    const dir = tempDir();
    writeApp(dir);
    const io = captureIo(dir, true);
    expect(await runCli(['pack', 'app', '-o', 'small.buf'], io)).toBe(0);
    expect(io.err).toBe('');
  });

  it('no command prints help and exits 0 (asking for nothing is not an error)', async () => {
    const io = captureIo(tempDir(), false);
    expect(await runCli([], io)).toBe(EXIT_CODES.OK);
    expect(io.out).toContain('Usage: fayger <command>');
  });
});
