import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { FAYGER_STATUS } from '../src/index.js';
import { cap, faygerGuest, loadedBuf, setup, sleep, wat } from './support/harness.js';

const messages = (bus: { logs: { instanceId: string; message: string }[] }, id: string) =>
  bus.logs.filter((l) => l.instanceId === id).map((l) => l.message);

describe('fayger import module', () => {
  it('a denied op returns FAYGER_EDENIED with a CAPABILITY_DENIED error object, and never reaches the bus', async () => {
    const { runtime, bus, events } = setup();
    const code = faygerGuest(
      `(local $s i32)
       (local.set $s (call $call {op} {args}))
       (call $show)
       (if (f64.ne (call $clock_now (i32.const 0)) (f64.const -1)) (then (return (i32.const 99))))
       (local.get $s)`,
      { op: 'kv.get', args: '{"key":"k"}' },
    );
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('log')] }));
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(FAYGER_STATUS.EDENIED);
    const shown = JSON.parse(messages(bus, inst.id)[0]!);
    expect(shown.code).toBe('CAPABILITY_DENIED');
    expect(shown.message).toContain('kv');
    expect(bus.dispatched.map((i) => i.op)).toEqual(['log.write']);
    const denied = events.flatMap((e) => (e.name === 'instruction.denied' ? [e.data] : []));
    expect(denied.map(({ op, capability, code, instanceId }) => ({ op, capability, code, instanceId }))).toEqual([
      { op: 'kv.get', capability: 'kv', code: 'CAPABILITY_DENIED', instanceId: inst.id },
      { op: 'clock.now', capability: 'clock', code: 'CAPABILITY_DENIED', instanceId: inst.id },
    ]);
    expect(denied[0]!.reason).toContain('capability kv');
    // The one op that did reach the bus is traced as dispatched and completed, with one correlation id.
    const dispatched = events.flatMap((e) => (e.name === 'instruction.dispatched' ? [e.data] : []));
    const completed = events.flatMap((e) => (e.name === 'instruction.completed' ? [e.data] : []));
    expect(dispatched.map((d) => d.op)).toEqual(['log.write']);
    expect(completed).toMatchObject([{ op: 'log.write', ok: true, correlationId: dispatched[0]!.correlationId }]);
    expect(info.usage.capabilities.kv!.denied).toBe(1);
  });

  it('passes bytes as $mem references and returns result bytes as blobs', async () => {
    const { runtime, bus } = setup({ busOptions: { files: { '/data/x': '' } } });
    const code = faygerGuest(
      `(local $n i32)
       ;; write "hello" (at 64) to a file, the bytes referenced from guest memory
       (i32.store8 (i32.const 64) (i32.const 104)) (i32.store8 (i32.const 65) (i32.const 101))
       (i32.store8 (i32.const 66) (i32.const 108)) (i32.store8 (i32.const 67) (i32.const 108)) (i32.store8 (i32.const 68) (i32.const 111))
       (if (call $call {write} {writeArgs}) (then (return (i32.const 10))))
       (call $show)
       ;; read it back: data comes as blob 0
       (if (call $call {read} {readArgs}) (then (return (i32.const 11))))
       (call $show)
       (local.set $n (call $blob_len (i32.const 0)))
       (if (i32.ne (call $blob_read (i32.const 0) (i32.const 2048) (i32.const 2)) (i32.const -5)) (then (return (i32.const 12))))
       (if (i32.ne (call $blob_read (i32.const 0) (i32.const 2048) (i32.const 100)) (local.get $n)) (then (return (i32.const 13))))
       (drop (call $log (i32.const 2) (i32.const 2048) (local.get $n)))
       (if (i32.ne (call $blob_len (i32.const 7)) (i32.const -2)) (then (return (i32.const 14))))
       (if (i32.ne (call $result_read (i32.const 0) (i32.const 3)) (i32.const -5)) (then (return (i32.const 15))))
       (local.get $n)`,
      {
        write: 'fs.write',
        writeArgs: '{"path":"/data/x","data":{"$mem":[64,5]}}',
        read: 'fs.read',
        readArgs: '{"path":"/data/x"}',
      },
    );
    const inst = runtime.instantiate(
      loadedBuf({
        code,
        capabilities: [
          cap('log'),
          cap('fs.read', { scope: { roots: ['/data'] } }),
          cap('fs.write', { scope: { roots: ['/data'] } }),
        ],
      }),
    );
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(5);
    expect(messages(bus, inst.id)).toEqual(['{"bytesWritten":5}', '{"data":{"$blob":0},"eof":true}', 'hello']);
    expect(new TextDecoder().decode(bus.files.get('/data/x') as Uint8Array)).toBe('hello');
    expect(info.usage.capabilities['fs.write']).toEqual({ calls: 1, bytes: 5, denied: 0 });
    expect(info.usage.capabilities['fs.read']).toEqual({ calls: 1, bytes: 5, denied: 0 });
  });

  it('reports bad input as FAYGER_EINVAL with the reason: unknown op, bad JSON, pointer outside memory, schema mismatch', async () => {
    const { runtime, bus } = setup();
    const code = faygerGuest(
      `(i32.add (i32.add
         (i32.mul (call $call {bogus} {empty}) (i32.const 1000))
         (i32.mul (call $call {log} {badJson}) (i32.const 100)))
       (i32.add
         (i32.mul (call $call (i32.const 0) (i32.const 7) (i32.const 70000000) (i32.const 2)) (i32.const 10))
         (call $call {log} {badArgs})))`,
      {
        bogus: 'no.such.op',
        empty: '{}',
        log: 'log.write',
        badJson: '{"level":',
        badArgs: '{"level":"loud","message":"x"}',
      },
    );
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('log')] }));
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(2222);
    expect(bus.dispatched.map((i) => i.op)).toEqual([]);
  });

  it('has_capability reports granted (1) and absent optional capabilities (0)', async () => {
    const { runtime } = setup();
    const code = faygerGuest(`(i32.add (i32.mul (call $has {log}) (i32.const 10)) (call $has {ui}))`, {
      log: 'log',
      ui: 'ui',
    });
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('log'), cap('ui', { required: false })] }));
    expect(inst.grants.absentOptional).toEqual(['ui']);
    expect((await inst.runToCompletion()).exitCode).toBe(10);
  });

  it('random_fill fills guest memory through one random.bytes instruction', async () => {
    const { runtime, bus } = setup();
    const code = faygerGuest(
      `(if (call $random_fill (i32.const 4096) (i32.const 32)) (then (return (i32.const 100))))
       (i64.ne (i64.or (i64.load (i32.const 4096)) (i64.load (i32.const 4104))) (i64.const 0))`,
    );
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('random')] }));
    expect((await inst.runToCompletion()).exitCode).toBe(1);
    expect(bus.dispatched.map((i) => [i.op, i.args])).toEqual([['random.bytes', { length: 32 }]]);
  });

  it('exit ends the instance as Terminated with the code, telling the adapter through app.exit', async () => {
    const { runtime, bus } = setup();
    const code = faygerGuest(`(call $exit (i32.const 3)) (i32.const 99)`);
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('app')] }));
    const info = await inst.runToCompletion();
    expect(info).toMatchObject({ state: 'Terminated', exitCode: 3 });
    expect(bus.dispatched.map((i) => [i.op, i.args])).toEqual([['app.exit', { code: 3 }]]);
    // Without `app` granted the guest still exits: ending needs no capability.
    const inst2 = runtime.instantiate(loadedBuf({ code }));
    expect((await inst2.runToCompletion()).exitCode).toBe(3);
  });

  it('async host calls suspend the guest and resume it when the host answers, without blocking others', async () => {
    const { runtime } = setup({ limits: { sliceFuel: 1000 } });
    const sleeper = faygerGuest(
      `(local $t0 f64)
       (local.set $t0 (call $clock_now (i32.const 1)))
       (if (call $sleep_ms (f64.const 150)) (then (return (i32.const 100))))
       (i32.trunc_f64_s (f64.sub (call $clock_now (i32.const 1)) (local.get $t0)))`,
    );
    const busy = wat(
      `(module (func (export "_start") (local $i i32) (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l))))`,
    );
    const a = runtime.instantiate(loadedBuf({ code: sleeper, capabilities: [cap('clock'), cap('timer')] }));
    const b = runtime.instantiate(loadedBuf({ code: busy }));
    const pa = a.runToCompletion();
    await b.start();
    await sleep(20);
    const f1 = b.usage().fuelUsed;
    await sleep(20);
    // a is parked on the host promise (still Running, no slices) while b keeps getting slices.
    expect(a.state).toBe('Running');
    expect(b.usage().fuelUsed).toBeGreaterThan(f1);
    const ra = await pa;
    b.terminate();
    expect(ra.exitCode).toBeGreaterThanOrEqual(145);
  });

  it('an unknown fayger import fails instantiation with WASM_LINK_ERROR naming it', async () => {
    const { runtime } = setup();
    const code = wat(`(module (import "fayger" "teleport" (func)) (func (export "_start")))`);
    const inst = runtime.instantiate(loadedBuf({ code }));
    await expect(inst.start()).rejects.toSatisfy(
      (e: unknown) => FaygerError.is(e, 'WASM_LINK_ERROR') && (e as Error).message.includes('teleport'),
    );
  });

  it("linkPolicy 'strict' refuses a module importing an ungranted function with CAPABILITY_DENIED", async () => {
    const { runtime } = setup({ linkPolicy: 'strict' });
    const code = faygerGuest(`(i32.const 0)`);
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('log'), cap('clock')] }));
    const err = await inst.start().then(
      () => undefined,
      (e: unknown) => e as FaygerError,
    );
    expect(err?.code).toBe('CAPABILITY_DENIED');
    expect(err?.details.import).toBe('fayger.random_fill');
    expect(inst.state).toBe('Failed');
    const ok = runtime.instantiate(
      loadedBuf({ code, capabilities: ['log', 'clock', 'random', 'timer'].map((n) => cap(n)) }),
    );
    expect((await ok.runToCompletion()).exitCode).toBe(0);
  });
});

describe('implementations without suspend', () => {
  it('an op the host answers asynchronously fails with FAYGER_EHOST (RUNTIME_ASYNC_UNSUPPORTED) instead of blocking', async () => {
    const { createInterpreterImplementation } = await import('@fayger/interpreter');
    const base = createInterpreterImplementation();
    const plain = {
      descriptor: { ...base.descriptor, id: 'no-suspend', features: ['jitless'] },
      compile: (c: Uint8Array) => base.compile(c),
    };
    const { runtime, bus } = setup({ implementations: [plain] });
    const code = faygerGuest(
      `(local $s i32)
       (local.set $s (call $sleep_ms (f64.const 10)))
       (drop (call $call {op} {args}))
       (call $show)
       (local.get $s)`,
      { op: 'timer.sleep', args: '{"ms":1}' },
    );
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('timer'), cap('log')] }));
    expect(inst.implementation).toBe('no-suspend');
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(FAYGER_STATUS.EHOST);
    expect(JSON.parse(bus.logs[0]!.message).code).toBe('RUNTIME_ASYNC_UNSUPPORTED');
  });
});
