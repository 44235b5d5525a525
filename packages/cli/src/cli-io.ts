// The CLI's terminal, apart from io.ts so that `fayger --version` and `--help` import nothing else.
/** Where the CLI writes and what it knows about its terminal. Injected so tests can run it in-process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * The stream behind `stderr`, when there is one: guest log lines are written to it directly so they get
   * its backpressure (the guest waits for `drain` instead of the CLI buffering a flood).
   */
  stderrStream?: {
    write(chunk: string): unknown;
    once(event: string, listener: (...args: any[]) => void): unknown;
    off(event: string, listener: (...args: any[]) => void): unknown;
    readonly destroyed?: boolean;
  };
  /** Progress bars are drawn only when stderr is a terminal. */
  stderrIsTTY: boolean;
  cwd: string;
}

export function nodeIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    stderrStream: process.stderr,
    stderrIsTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}
