// The WebAssembly JS-API facade's behaviour, one suite for every engine's facade (@fayger/interpreter/webassembly,
// @fayger/transpiler/webassembly): each package calls it with its own facade module and the interpreter's checked-in
// `facade` fixture (built from test/fixtures/facade.wat there), so the two facades are held to the same tests.
import { describe, expect, it } from 'vitest';

/** A facade module (`import * as WA from '…/webassembly'`); typed loosely so either engine's fits. */
type Facade = any;

export interface FacadeSuiteOptions {
  readonly WA: Facade;
  /** The bytes of the interpreter's `facade` fixture. */
  readonly fixture: () => Uint8Array;
  /** `FaygerError.is` from @fayger/contracts (passed in: this package has no runtime dependencies). */
  readonly isFaygerError: (e: unknown, code?: string) => boolean;
}

export function describeFacade(title: string, { WA, fixture: facadeBytes, isFaygerError }: FacadeSuiteOptions): void {
  const fixture = (_name: 'facade') => facadeBytes();
  const FaygerError = { is: isFaygerError };
  async function load(logs: unknown[][] = []) {
    const { module, instance } = await WA.instantiate(fixture('facade'), {
      env: { log: (...a: unknown[]) => logs.push(a), base: 5 },
    });
    return { module, instance, exports: instance.exports as Record<string, Facade> };
  }

  describe(title, () => {
    it('instantiates from bytes and from a Module, with plain sync exported functions', async () => {
      const { module, exports } = await load();
      expect(module).toBeInstanceOf(WA.Module);
      expect(exports.add(2, 3)).toBe(5);
      expect(exports.add(0x7fffffff, 1)).toBe(-0x80000000);
      const inst = await WA.instantiate(module, { env: { log: () => {}, base: 1 } });
      expect(inst).toBeInstanceOf(WA.Instance);
      expect((inst.exports as Facade).add(1, 1)).toBe(2);
      expect(new WA.Instance(module, { env: { log: () => {}, base: 1 } }).exports.add).toBeTypeOf('function');
    });

    it('maps i64 to BigInt, f32 rounding, and multi-value results to arrays', async () => {
      const { exports } = await load();
      expect(exports.add64(2n ** 62n, 2n ** 62n)).toBe(-(2n ** 63n));
      expect(exports.half(3)).toBe(1.5);
      expect(exports.half(0.1)).toBe(Math.fround(Math.fround(0.1) * 0.5));
      expect(exports.swap(7, 2.25)).toEqual([2.25, 7]);
      expect(exports.big.value).toBe(-5n);
    });

    it('calls JS imports, reads imported globals and exposes mutable exported globals', async () => {
      const logs: unknown[][] = [];
      const { exports } = await load(logs);
      expect(exports.bump()).toBe(5);
      expect(exports.bump()).toBe(10);
      expect(logs).toEqual([
        [5, 1.5],
        [10, 1.5],
      ]);
      expect(exports.counter).toBeInstanceOf(WA.Global);
      expect(exports.counter.value).toBe(10);
      exports.counter.value = 100;
      expect(exports.bump()).toBe(105);
    });

    it('exposes memory (data segments applied, grow refreshes buffer) and tables', async () => {
      const { exports } = await load();
      const mem = exports.memory as Facade;
      expect(new TextDecoder().decode(new Uint8Array(mem.buffer, 8, 5))).toBe('hello');
      expect(mem.grow(1)).toBe(1);
      expect(mem.buffer.byteLength).toBe(2 * 65536);
      expect(() => mem.grow(100)).toThrow(RangeError);
      const table = exports.table as Facade;
      expect(table.length).toBe(2);
      expect((table.get(0) as (a: number, b: number) => number)(4, 5)).toBe(9);
      expect(exports.call_table(1, 9)).toBe(-9);
      table.set(1, exports.add);
      expect(table.get(1)).toBe(exports.add);
    });

    it('throws RuntimeError whose cause is the FaygerError with the trap code', async () => {
      const { exports } = await load();
      try {
        exports.trap();
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(WA.RuntimeError);
        expect(FaygerError.is((e as Error).cause, 'TRAP_UNREACHABLE')).toBe(true);
      }
      expect(() => exports.call_table(5, 0)).toThrow(WA.RuntimeError);
    });

    it('lets JS exceptions thrown by imports pass through guest frames unchanged', async () => {
      const boom = new Error('from js');
      const { instance } = await WA.instantiate(fixture('facade'), {
        env: {
          log: () => {
            throw boom;
          },
          base: 1,
        },
      });
      expect(() => (instance.exports as Facade).bump()).toThrow(boom);
    });

    it('reports CompileError and LinkError, validates, and lists module imports/exports/custom sections', async () => {
      expect(WA.validate(fixture('facade'))).toBe(true);
      expect(WA.validate(new Uint8Array([0, 1, 2]))).toBe(false);
      await expect(WA.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 0, 0, 0]))).rejects.toBeInstanceOf(
        WA.CompileError,
      );
      const module = await WA.compile(fixture('facade'));
      expect(() => new WA.Instance(module, { env: { log: () => {}, base: 1n } })).toThrow(WA.LinkError);
      expect(() => new WA.Instance(module, { env: { base: 1 } })).toThrow(WA.LinkError);
      expect(WA.Module.imports(module)).toEqual([
        { module: 'env', name: 'log', kind: 'function' },
        { module: 'env', name: 'base', kind: 'global' },
      ]);
      expect(WA.Module.exports(module).map((e: { name: string }) => e.name)).toContain('memory');
      const custom = WA.Module.customSections(module, 'fayger');
      expect(custom.map((b: Uint8Array) => new TextDecoder().decode(b))).toEqual(['hi']);
    });

    it('constructs Memory, Table and Global for imports', () => {
      const g = new WA.Global({ value: 'i64', mutable: true }, 3n);
      g.value = 4n;
      expect(g.value).toBe(4n);
      const t = new WA.Table({ element: 'externref', initial: 1 }, 'x');
      expect(t.get(0)).toBe('x');
      expect(t.grow(2, 'y')).toBe(1);
      expect(t.get(2)).toBe('y');
      const m = new WA.Memory({ initial: 1, maximum: 2 });
      expect(m.buffer.byteLength).toBe(65536);
    });
  });
}
