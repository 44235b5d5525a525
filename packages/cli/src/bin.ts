import { runCli } from './cli.js';
import { nodeIo } from './cli-io.js';

runCli(process.argv.slice(2), nodeIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fayger: internal error: ${String(err)}\n`);
    process.exitCode = 10;
  },
);
