// Browser side of test/migrate.test.ts: createFayger over adapter-browser (the interpreter, or the transpiler for
// the cross-engine legs), driven from Node
// through window.__migrate (arguments and results are JSON; bytes travel as base64).
import { createBrowserAdapter } from '@fayger/adapter-browser';
import {
  type AdapterFactory,
  type MigrateEngine,
  fromBase64,
  resumeHere,
  runAndSnapshot,
  runWhole,
  snapshotAtPendingCall,
} from '../migrate.js';

const browserAdapter: AdapterFactory = (onLog) =>
  createBrowserAdapter({ log: { output: false, onRecord: (r) => onLog(`${r.level}: ${r.message}`) } });

const api = {
  runWhole: (buf: string) => runWhole(fromBase64(buf), browserAdapter),
  runAndSnapshot: (buf: string, afterFuel: number, seed: number, engine: MigrateEngine = 'interpreter') =>
    runAndSnapshot(fromBase64(buf), browserAdapter, afterFuel, seed, engine),
  snapshotAtPendingCall: (buf: string, pendingOp: string, seed: number) =>
    snapshotAtPendingCall(fromBase64(buf), browserAdapter, pendingOp, seed),
  resumeHere: (buf: string, snapshot: string, publicKey: string, engine: MigrateEngine = 'interpreter') =>
    resumeHere(fromBase64(buf), fromBase64(snapshot), fromBase64(publicKey), browserAdapter, engine),
};

(globalThis as unknown as { __migrate: typeof api }).__migrate = api;
