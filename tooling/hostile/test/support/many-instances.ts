// Bundled by global-setup into test-artifacts/bin/many-instances.js and run as a child process:
// `node many-instances.js <buf> <trusted-roots.json> <n>` runs n instances of the BuF concurrently in one
// Fayger (the embedder API, fayger/node) and prints [{ state, code }] for each as JSON.
import { createNodeFayger } from 'fayger/node';

const [buf, roots, n] = process.argv.slice(2);
const fayger = createNodeFayger({ trust: { rootsFile: roots! }, host: 'server', versionStore: false, stdio: false });
const loaded = await fayger.load(buf!);
const results = await Promise.all(
  Array.from({ length: Number(n) }, (_, i) =>
    fayger
      .run(loaded, { instanceId: `i${i}` })
      .then((r) => ({ state: r.state, code: r.error?.code ?? String(r.exitCode) })),
  ),
);
await fayger.close();
process.stdout.write(JSON.stringify(results));
