import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { WASI_ERRNO } from '../src/index.js';
import { cap, loadedBuf, setup, wasiGuest } from './support/harness.js';

const RIGHTS_READ = '(i64.const 2)'; // fd_read
const RIGHTS_WRITE = '(i64.const 64)'; // fd_write

describe('WASI preview1 subset', () => {
  it('fd_write on stdout: hello world', async () => {
    const { runtime, bus } = setup();
    const code = wasiGuest(`(drop (call $print {hello})) (i32.load (i32.const 8))`, { hello: 'hello world\n' }, []);
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('stdio')] }));
    const info = await inst.runToCompletion();
    expect(bus.stdout.get(inst.id)).toBe('hello world\n');
    expect(info.exitCode).toBe(12); // nwritten
    expect(bus.dispatched.map((i) => i.op)).toEqual(['stdio.write']);
  });

  it('stdio not granted: fd_write returns EACCES (never a silent no-op)', async () => {
    const { runtime, bus } = setup();
    const code = wasiGuest(`(call $print {hello})`, { hello: 'hi' }, []);
    const info = await runtime.instantiate(loadedBuf({ code })).runToCompletion();
    expect(info.exitCode).toBe(WASI_ERRNO.EACCES);
    expect(bus.dispatched).toEqual([]);
  });

  it('args and environ come from the instance configuration', async () => {
    const { runtime, bus } = setup();
    const code = wasiGuest(
      `(drop (call $args_sizes_get (i32.const 100) (i32.const 104)))
       (drop (call $args_get (i32.const 200) (i32.const 300)))
       ;; print argv[1] (between argv[1] and argv[2] pointers, minus the NUL)
       (drop (call $print (i32.load (i32.const 204)) (i32.sub (i32.sub (i32.load (i32.const 208)) (i32.load (i32.const 204))) (i32.const 1))))
       (drop (call $environ_sizes_get (i32.const 108) (i32.const 112)))
       (drop (call $environ_get (i32.const 400) (i32.const 500)))
       (drop (call $print (i32.load (i32.const 400)) (i32.sub (i32.load (i32.const 112)) (i32.const 1))))
       (i32.add (i32.mul (i32.load (i32.const 100)) (i32.const 10)) (i32.load (i32.const 108)))`,
      {},
      ['args_sizes_get', 'args_get', 'environ_sizes_get', 'environ_get'],
    );
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('stdio')] }), {
      args: ['first', 'second'],
      env: { MODE: 'test' },
    });
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(31); // argc 3 (program name + 2), one variable
    expect(bus.stdout.get(inst.id)).toBe('firstMODE=test');
  });

  it('environ without instance configuration: env.list when env is granted, empty otherwise', async () => {
    const { runtime, bus } = setup({ busOptions: { env: { A: '1', B: '2' } } });
    const code = wasiGuest(
      `(drop (call $environ_sizes_get (i32.const 108) (i32.const 112))) (i32.load (i32.const 108))`,
      {},
      ['environ_sizes_get'],
    );
    expect(
      (await runtime.instantiate(loadedBuf({ code, capabilities: [cap('env')] })).runToCompletion()).exitCode,
    ).toBe(2);
    expect((await runtime.instantiate(loadedBuf({ code })).runToCompletion()).exitCode).toBe(0);
    expect(bus.dispatched.filter((i) => i.op === 'env.list').length).toBe(1);
  });

  it('reads a file in a granted root (preopened as fd 3) and is denied outside it', async () => {
    const { runtime, bus } = setup({
      busOptions: { files: { '/data/notes.txt': 'notes inside', '/secret.txt': 'top secret' } },
    });
    const code = wasiGuest(
      `(local $fd i32) (local $e i32)
       ;; fd 3 is the preopened root; its name is /data
       (if (call $fd_prestat_get (i32.const 3) (i32.const 100)) (then (return (i32.const 200))))
       (drop (call $fd_prestat_dir_name (i32.const 3) (i32.const 120) (i32.load (i32.const 104))))
       (drop (call $print (i32.const 120) (i32.load (i32.const 104))))
       (local.set $e (call $path_open (i32.const 3) (i32.const 0) {notes} (i32.const 0) ${RIGHTS_READ} (i64.const 0) (i32.const 0) (i32.const 160)))
       (if (local.get $e) (then (return (i32.add (i32.const 300) (local.get $e)))))
       (local.set $fd (i32.load (i32.const 160)))
       ;; read through an iovec at 16: buffer 4096, 64 bytes
       (i32.store (i32.const 16) (i32.const 4096)) (i32.store (i32.const 20) (i32.const 64))
       (if (call $fd_read (local.get $fd) (i32.const 16) (i32.const 1) (i32.const 24)) (then (return (i32.const 400))))
       (drop (call $print (i32.const 4096) (i32.load (i32.const 24))))
       (drop (call $fd_close (local.get $fd)))
       ;; escaping the root with .. and absolute paths: ENOTCAPABLE
       (i32.add
         (i32.mul (call $path_open (i32.const 3) (i32.const 0) {escape} (i32.const 0) ${RIGHTS_READ} (i64.const 0) (i32.const 0) (i32.const 160)) (i32.const 1000))
         (call $path_open (i32.const 3) (i32.const 0) {absolute} (i32.const 0) ${RIGHTS_READ} (i64.const 0) (i32.const 0) (i32.const 160)))`,
      { notes: 'notes.txt', escape: 'sub/../../secret.txt', absolute: '/secret.txt' },
    );
    const inst = runtime.instantiate(
      loadedBuf({ code, capabilities: [cap('stdio'), cap('fs.read', { scope: { roots: ['/data'] } })] }),
    );
    const info = await inst.runToCompletion();
    expect(bus.stdout.get(inst.id)).toBe('/datanotes inside');
    expect(info.exitCode).toBe(WASI_ERRNO.ENOTCAPABLE * 1000 + WASI_ERRNO.ENOTCAPABLE);
    expect(bus.dispatched.some((i) => JSON.stringify(i.args).includes('secret'))).toBe(false);
  });

  it('opening for writing without fs.write is EACCES; with it, path_open creates and fd_write writes', async () => {
    const { runtime, bus } = setup({ busOptions: { files: { '/data/keep': '' } } });
    const code = wasiGuest(
      `(local $e i32)
       (local.set $e (call $path_open (i32.const 3) (i32.const 0) {name} (i32.const 1) ${RIGHTS_WRITE} (i64.const 0) (i32.const 0) (i32.const 160)))
       (if (local.get $e) (then (return (local.get $e))))
       (i32.store (i32.const 16) (i32.const 1024)) (i32.store (i32.const 20) (i32.const 9))
       (drop (call $fd_write (i32.load (i32.const 160)) (i32.const 16) (i32.const 1) (i32.const 24)))
       (drop (call $fd_seek (i32.load (i32.const 160)) (i64.const 0) (i32.const 2) (i32.const 32)))
       (i32.wrap_i64 (i64.load (i32.const 32)))`,
      { name: 'out.txt' },
      ['path_open', 'fd_seek'],
    );
    const ro = runtime.instantiate(
      loadedBuf({ code, capabilities: [cap('fs.read', { scope: { roots: ['/data'] } })] }),
    );
    expect((await ro.runToCompletion()).exitCode).toBe(WASI_ERRNO.EACCES);
    const rw = runtime.instantiate(
      loadedBuf({
        code,
        capabilities: [
          cap('fs.read', { scope: { roots: ['/data'] } }),
          cap('fs.write', { scope: { roots: ['/data'] } }),
        ],
      }),
    );
    expect((await rw.runToCompletion()).exitCode).toBe(9); // 9 bytes written (the name plus two zero bytes); seek to end reports the size
    expect(new TextDecoder().decode(bus.files.get('/data/out.txt') as Uint8Array).startsWith('out.txt')).toBe(true);
  });

  it('proc_exit ends the instance with its code; a name outside preview1 returns ENOSYS', async () => {
    const { runtime } = setup();
    const code = wasiGuest(
      `(call $proc_exit (call $thread_spawn (i32.const 0) (i32.const 0) (i32.const 0))) (i32.const 1)`,
      {},
      ['proc_exit', 'thread_spawn'],
    );
    const info = await runtime.instantiate(loadedBuf({ code })).runToCompletion();
    expect(info).toMatchObject({ state: 'Terminated', exitCode: WASI_ERRNO.ENOSYS });
  });

  it('sock_* on a descriptor that is not a socket is ENOTSOCK, on a closed one EBADF (as wasmtime)', async () => {
    const { runtime } = setup();
    const code = wasiGuest(
      `(i32.add (i32.mul (i32.sub (call $sock_shutdown (i32.const 1) (i32.const 1)) (i32.const 50)) (i32.const 10)) (call $sock_accept (i32.const 77) (i32.const 0) (i32.const 0)))`,
      {},
      ['sock_shutdown', 'sock_accept'],
    );
    const info = await runtime.instantiate(loadedBuf({ code })).runToCompletion();
    expect(info.exitCode).toBe((WASI_ERRNO.ENOTSOCK - 50) * 10 + WASI_ERRNO.EBADF);
  });

  it("linkPolicy 'strict' refuses a WASI import outside the subset", async () => {
    const { runtime } = setup({ linkPolicy: 'strict' });
    const code = wasiGuest(`(i32.const 0)`, {}, ['thread_spawn']);
    const err = await runtime
      .instantiate(loadedBuf({ code, capabilities: [cap('stdio')] }))
      .start()
      .catch((e: unknown) => e);
    expect(FaygerError.is(err, 'WASI_UNSUPPORTED_IMPORT')).toBe(true);
  });

  it('clock_time_get, random_get and poll_oneoff (a relative clock subscription sleeps)', async () => {
    const { runtime, bus } = setup();
    const code = wasiGuest(
      `(local $t0 i64)
       (if (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 64)) (then (return (i32.const 100))))
       (local.set $t0 (i64.load (i32.const 64)))
       (if (call $random_get (i32.const 128) (i32.const 16)) (then (return (i32.const 101))))
       ;; subscription at 256: userdata 7, tag 0 (clock), clock id 1, timeout 50 ms relative
       (i64.store (i32.const 256) (i64.const 7))
       (i32.store8 (i32.const 264) (i32.const 0))
       (i32.store (i32.const 272) (i32.const 1))
       (i64.store (i32.const 280) (i64.const 50000000))
       (if (call $poll_oneoff (i32.const 256) (i32.const 512) (i32.const 1) (i32.const 600)) (then (return (i32.const 102))))
       (if (i64.ne (i64.load (i32.const 512)) (i64.const 7)) (then (return (i32.const 103))))
       (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 64)))
       ;; elapsed milliseconds
       (i32.wrap_i64 (i64.div_u (i64.sub (i64.load (i32.const 64)) (local.get $t0)) (i64.const 1000000)))`,
      {},
      ['clock_time_get', 'random_get', 'poll_oneoff'],
    );
    const info = await runtime
      .instantiate(loadedBuf({ code, capabilities: ['clock', 'random', 'timer'].map((n) => cap(n)) }))
      .runToCompletion();
    expect(info.exitCode).toBeGreaterThanOrEqual(45);
    expect(bus.dispatched.map((i) => i.op)).toEqual(['clock.now', 'random.bytes', 'timer.sleep', 'clock.now']);
  });

  it('fd_readdir lists a preopened directory; path_filestat_get reports size', async () => {
    const { runtime, bus } = setup({ busOptions: { files: { '/data/a.txt': 'aaaa', '/data/bb.txt': 'b' } } });
    const code = wasiGuest(
      `;; cookie 2 skips "." and ".."
       (if (call $fd_readdir (i32.const 3) (i32.const 4096) (i32.const 1024) (i64.const 2) (i32.const 64)) (then (return (i32.const 100))))
       ;; first dirent: name length at +16, name at +24
       (drop (call $print (i32.const 4120) (i32.load (i32.const 4112))))
       (if (call $path_filestat_get (i32.const 3) (i32.const 0) {a} (i32.const 256)) (then (return (i32.const 101))))
       (i32.add (i32.mul (i32.load8_u (i32.const 272)) (i32.const 100)) (i32.wrap_i64 (i64.load (i32.const 288))))`,
      { a: 'a.txt' },
      ['fd_readdir', 'path_filestat_get'],
    );
    const inst = runtime.instantiate(
      loadedBuf({ code, capabilities: [cap('stdio'), cap('fs.read', { scope: { roots: ['/data'] } })] }),
    );
    const info = await inst.runToCompletion();
    expect(bus.stdout.get(inst.id)).toBe('a.txt');
    expect(info.exitCode).toBe(4 * 100 + 4); // regular file (4), 4 bytes
  });
});

describe('WASI stdin and yielding', () => {
  it('fd_read on fd 0 reads stdin through stdio.read', async () => {
    const { runtime, bus } = setup({ busOptions: { stdin: 'typed input' } });
    const code = wasiGuest(
      `(i32.store (i32.const 16) (i32.const 4096)) (i32.store (i32.const 20) (i32.const 100))
       (if (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 24)) (then (return (i32.const 100))))
       (drop (call $print (i32.const 4096) (i32.load (i32.const 24))))
       (i32.load (i32.const 24))`,
      {},
      ['fd_read'],
    );
    const inst = runtime.instantiate(loadedBuf({ code, capabilities: [cap('stdio')] }));
    const info = await inst.runToCompletion();
    expect(info.exitCode).toBe(11);
    expect(bus.stdout.get(inst.id)).toBe('typed input');
  });

  it('sched_yield ends the current fuel slice', async () => {
    const { runtime } = setup({ limits: { sliceFuel: 1_000_000 } });
    const code = wasiGuest(
      `(local $i i32)
       (loop $l (drop (call $sched_yield)) (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
       (i32.const 0)`,
      {},
      ['sched_yield'],
    );
    const info = await runtime.instantiate(loadedBuf({ code })).runToCompletion();
    expect(info.usage.slices).toBe(6); // five yields split one slice-sized run into six
  });
});
