import { beforeAll, describe, expect, it } from 'vitest';
import { compile, ExitSignal, FakeHost, type SeenCall } from './support/fake-host.js';

const TRICKY = 'q"b\\s/\n\r\t\b\f\u0001\u001fé😀end';
const enc = (s: string) => new TextEncoder().encode(s);
const err = (code: string, message: string) => ({ code, message, phase: 'capability' });

let wasm: Uint8Array<ArrayBuffer>;
beforeAll(async () => {
  wasm = await compile('test/fixtures/probe.ts', 'test/fixtures/asconfig.json');
});

async function host(
  answer?: (c: SeenCall) => { status: number; result: unknown; blobs?: Uint8Array[] },
): Promise<FakeHost> {
  const h = new FakeHost();
  if (answer) h.answer = answer;
  await h.instantiate(wasm);
  return h;
}

describe('@fayger/guest-as against a scripted host', () => {
  it('imports only fayger functions and exports memory and _start', () => {
    const mod = new WebAssembly.Module(wasm);
    expect(WebAssembly.Module.imports(mod).every((i) => i.module === 'fayger' && i.kind === 'function')).toBe(true);
    expect(WebAssembly.Module.exports(mod).map((e) => e.name)).toEqual(expect.arrayContaining(['memory', '_start']));
  });

  it('builds argument JSON that parses back to the exact strings and numbers', async () => {
    const h = await host(() => ({ status: 0, result: {} }));
    expect(h.run('argsEscaping')).toEqual(['status=0']);
    expect(h.calls[0].op).toBe('test.echo');
    expect(h.calls[0].args).toEqual({ s: TRICKY, i: -42, f: 1.5, b: true, z: null });
  });

  it('quote escapes every control character and keeps lone surrogates representable', async () => {
    const h = await host();
    const [q, lone] = h.run('quoting');
    expect(JSON.parse(q)).toBe(TRICKY);
    expect(q).toContain('\\u0001');
    expect(q).toContain('\\u001f');
    expect(JSON.parse(lone)).toBe('\ud800x');
  });

  it('parses result JSON: escapes, surrogate pairs, numbers, nesting, absent fields', async () => {
    const result = { s: 'a"b\\c\né😀', n: -1500, arr: [true, false, null, {}], nested: { k: 'v' } };
    const h = await host(() => ({ status: 0, result }));
    const out = h.run('resultParsing');
    expect(out.slice(0, 5)).toEqual([result.s, '-1500.0', '4:true:true', 'v', 'true']);
    expect(JSON.parse(out[5])).toEqual(result);
  });

  it('rejects malformed JSON and accepts well-formed JSON with whitespace', async () => {
    const h = await host();
    const [rejected, good] = h.run('parseRejects');
    expect(rejected).toBe('rejected 12/12');
    expect(JSON.parse(good)).toEqual({ a: [1, -0.0025, 'é😀'], b: {} });
  });

  it('surfaces a denial as EDENIED with the error object (not swallowed)', async () => {
    const h = await host(() => ({ status: 1, result: err('CAPABILITY_DENIED', 'fs.read needs fs.read') }));
    const [line, described] = h.run('denied');
    expect(line).toBe('1 true true CAPABILITY_DENIED capability fs.read needs fs.read');
    expect(described).toBe('FAYGER_EDENIED CAPABILITY_DENIED: fs.read needs fs.read');
    expect(h.calls[0]).toMatchObject({ op: 'fs.read', args: { path: '/etc/passwd' } });
  });

  it('copies blobs out of the pending result (fs.read data)', async () => {
    const h = await host((c) => ({
      status: 0,
      result: { data: { $blob: 0 }, eof: true },
      blobs: [c.args.length === 3 ? enc('llo') : enc('héllo\n')],
    }));
    expect(h.run('readBlob')).toEqual(['true true [héllo\n]', '3']);
    expect(h.calls[1].args).toEqual({ path: '/data/in.txt', offset: 2, length: 3 });
  });

  it('passes bytes as {"$mem":[ptr,len]} that resolve to the UTF-8 data', async () => {
    const h = await host((c) => ({ status: 0, result: { bytesWritten: (c.args.data as Uint8Array).length } }));
    expect(h.run('writeMem')).toEqual(['0 13']);
    expect(h.calls[0].raw).toMatch(/^\{"path":"\/data\/out.txt","data":\{"\$mem":\[\d+,13\]\},"append":true\}$/);
    expect(new TextDecoder().decode(h.calls[0].args.data as Uint8Array)).toBe('héllo wörld');
  });

  it('env.get: a value, or not found for null', async () => {
    const h = await host((c) => ({ status: 0, result: { value: c.args.name === 'A' ? 'x "y"' : null } }));
    expect(h.run('environment')).toEqual(['true [x "y"] false true']);
    expect(h.calls.map((c) => c.args)).toEqual([{ name: 'A' }, { name: 'B' }]);
  });

  it('lists directories', async () => {
    const h = await host(() => ({
      status: 0,
      result: {
        entries: [
          { name: 'a.txt', type: 'file' },
          { name: 'sub', type: 'directory' },
        ],
      },
    }));
    expect(h.run('listing')).toEqual(['a.txt:file', 'sub:directory']);
  });

  it('kv set/get with namespaces; a missing key is ok + not found', async () => {
    const store = new Map<string, Uint8Array>();
    const h = await host((c) => {
      const k = `${String(c.args.namespace ?? '')}/${String(c.args.key)}`;
      if (c.op === 'kv.set') return (store.set(k, c.args.value as Uint8Array), { status: 0, result: {} });
      const v = store.get(k);
      return v ? { status: 0, result: { value: { $blob: 0 } }, blobs: [v] } : { status: 0, result: { value: null } };
    });
    expect(h.run('keyValue')).toEqual(['true hi', 'true false']);
    expect(h.calls.map((c) => c.op)).toEqual(['kv.set', 'kv.get', 'kv.get']);
    expect(h.calls[2].args).toEqual({ key: 'missing' });
  });

  it('net.listen + app.poll event with a body blob + respond; a timed-out poll gives a null event', async () => {
    let polls = 0;
    const h = await host((c) => {
      if (c.op === 'net.listen.start') return { status: 0, result: { listenerId: 'L1', port: 8080 } };
      if (c.op === 'app.poll') {
        polls++;
        if (polls > 1) return { status: 0, result: { event: null } };
        const data = {
          listenerId: 'L1',
          requestId: 'R9',
          method: 'POST',
          url: '/x?y=1',
          headers: { 'x-a': 'b' },
          body: { $blob: 0 },
        };
        return { status: 0, result: { event: { v: 1, type: 'net.request', time: 1, data } }, blobs: [enc('ping')] };
      }
      return { status: 0, result: {} };
    });
    expect(h.run('events')).toEqual(['L1 8080', 'net.request POST /x?y=1 [ping] b', 'true true']);
    expect(h.calls[0].args).toEqual({ port: 8080, host: '127.0.0.1' });
    expect(h.calls[1].args).toEqual({ timeoutMs: 1000 });
    const respond = h.calls[2];
    expect(respond.op).toBe('net.listen.respond');
    expect(respond.args.requestId).toBe('R9');
    expect(respond.args.status).toBe(201);
    expect(respond.args.headers).toEqual({ 'content-type': 'text/plain; charset=utf-8' });
    expect(new TextDecoder().decode(respond.args.body as Uint8Array)).toBe('echo: ping');
  });

  it('renders a UI tree that is valid JSON in the catalogue shape', async () => {
    const h = await host(() => ({ status: 0, result: {} }));
    expect(h.run('render')).toEqual(['0']);
    expect(h.calls[0].args).toEqual({
      tree: {
        type: 'column',
        children: [
          { type: 'text', id: 'label', text: 'Count: 1' },
          { type: 'input', id: 'name', value: 'a"b', placeholder: 'Name' },
          {
            type: 'row',
            children: [
              { type: 'button', id: 'inc', text: '+' },
              { type: 'button', id: 'dec', text: '-', disabled: true },
            ],
          },
        ],
      },
    });
  });

  it('typed fast paths: capabilities, clocks (-1 when denied), random, sleep, log levels', async () => {
    const h = await host();
    expect(h.run('fastPaths').slice(0, 4)).toEqual(['true false', '-1.0 -1.0', '1 0', '1']);
    h.capabilities = new Set(['log', 'clock', 'random', 'timer', 'ui']);
    const out = h.run('fastPaths');
    expect(out.slice(0, 4)).toEqual(['true true', '1700000000000.0 12.5', '0 171', '0']);
    expect(h.logs.slice(4).map((l) => [l.level, l.message])).toEqual([
      [3, 'w'],
      [4, 'e'],
      [1, 'd'],
      [0, 't'],
    ]);
  });

  it('exit reaches fayger.exit with the code; a failed assertion logs at error level and traps', async () => {
    const h = await host();
    expect(() => h.run('exits')).toThrow(ExitSignal);
    try {
      h.run('exits');
    } catch (e) {
      expect((e as ExitSignal).code).toBe(7);
    }
    expect(() => h.run('aborts')).toThrow(WebAssembly.RuntimeError);
    expect(h.logs).toEqual([
      { level: 4, message: expect.stringMatching(/^abort: boom at test\/fixtures\/probe\.ts:\d+:\d+$/) },
    ]);
  });
});
