import { runCli } from './cli.js';
import { nodeIo } from './cli-io.js';

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
