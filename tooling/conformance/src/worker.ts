import { parentPort, workerData } from 'node:worker_threads';
import { createEngine, type EngineName } from './engines/create-engine.js';
import { runScript } from './run-script.js';

/** Runs one script in its own thread so a hang or crash costs one file, not the whole run. */
interface Job {
  readonly engine: EngineName;
  readonly dir: string;
  readonly name: string;
}

const job = workerData as Job;
const engine = await createEngine(job.engine);
const result = await runScript(engine, job.dir, job.name);
parentPort?.postMessage(result);
