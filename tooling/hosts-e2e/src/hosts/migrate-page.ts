// Browser side of test/migrate.test.ts: createFayger over adapter-browser with the interpreter, driven from Node
// through window.__migrate (arguments and results are JSON; bytes travel as base64).
import { createBrowserAdapter } from '@fayger/adapter-browser';
import {
  type AdapterFactory,
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
  runAndSnapshot: (buf: string, afterFuel: number, seed: number) =>
    runAndSnapshot(fromBase64(buf), browserAdapter, afterFuel, seed),
  snapshotAtPendingCall: (buf: string, pendingOp: string, seed: number) =>
    snapshotAtPendingCall(fromBase64(buf), browserAdapter, pendingOp, seed),
  resumeHere: (buf: string, snapshot: string, publicKey: string) =>
    resumeHere(fromBase64(buf), fromBase64(snapshot), fromBase64(publicKey), browserAdapter),
};

(globalThis as unknown as { __migrate: typeof api }).__migrate = api;
