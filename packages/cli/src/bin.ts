import * as nodeModule from 'node:module';
import { runCli } from './cli.js';
import { nodeIo } from './cli-io.js';

// Node 22.1+ keeps V8's compiled code of the command chunks between runs (NODE_COMPILE_CACHE, else its default
// directory); FAYGER_CODE_CACHE=0 turns it off. Node 20 has no such cache: commands/run-cached.ts has its own.
if (process.env['FAYGER_CODE_CACHE'] !== '0') {
  try {
    (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  } catch {
    // Start-up speed only.
  }
}

// A reader that goes away (`fayger run app.buf | head -c 100`) makes writes fail with EPIPE, reported as an
// 'error' event: without a listener Node would crash with a stack trace. The run itself ends through the
// stdio adapter (ADAPTER_STREAM_CLOSED); here the error is only kept from killing the process.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    process.exitCode = 4;
  });
}

runCli(process.argv.slice(2), nodeIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fayger: internal error: ${String(err)}\n`);
    process.exitCode = 10;
  },
);
