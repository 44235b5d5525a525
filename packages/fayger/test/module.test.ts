import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManifest, FaygerError } from '@fayger/contracts';
import { manifestForModule, readModuleShape } from '../src/index.js';
import { parseDirSpec } from '../src/node.js';
import { denialProbe } from './support/guests.js';

describe('bare modules: manifestForModule', () => {
  it('requests every capability the imports reach (optional), plus the flagged ones, with a valid manifest and no quotas', () => {
    const wasm = denialProbe(); // imports fayger.random_fill and fayger.exit, exports _start
    expect(readModuleShape(wasm).imports.map((i) => `${i.module}.${i.name}`)).toEqual([
      'fayger.random_fill',
      'fayger.exit',
    ]);
    const m = manifestForModule(wasm, { label: './probe.wasm', alsoRequest: ['fs.read', 'no.such.capability'] });
    expect(checkManifest(m)).toEqual([]);
    expect(m).toMatchObject({
      id: 'local.probe',
      publisher: 'local',
      version: '0.0.0',
      entry: { section: 'main', export: '_start' },
    });
    expect(m.quotas).toBeUndefined();
    expect(m.capabilities).toEqual([
      { name: 'fs.read', required: false, reason: 'granted on the command line' },
      { name: 'random', required: false, reason: 'imports fayger.random_fill' },
    ]);
  });

  it('refuses what is not a wasm command module with FAYGER_MODULE_INVALID', () => {
    const bad = (bytes: Uint8Array) => {
      try {
        manifestForModule(bytes, { label: 'x.wasm' });
      } catch (e) {
        return FaygerError.is(e) ? e.code : String(e);
      }
      return 'accepted';
    };
    expect(bad(new Uint8Array([1, 2, 3, 4, 1, 0, 0, 0]))).toBe('FAYGER_MODULE_INVALID');
    expect(bad(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).toBe('FAYGER_MODULE_INVALID'); // no _start
    expect(bad(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 2, 0x7f]))).toBe('FAYGER_MODULE_INVALID'); // truncated
  });
});

describe('parseDirSpec (--dir)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'fayger-dirs-'));
  mkdirSync(join(cwd, 'work'));
  it('takes the wasmtime forms, :ro, and the older GUEST=HOST form', () => {
    expect(parseDirSpec('work::/', cwd)).toEqual({ guest: '/', host: join(cwd, 'work') });
    expect(parseDirSpec('work::/data/', cwd)).toEqual({ guest: '/data', host: join(cwd, 'work') });
    expect(parseDirSpec('work::/in:ro', cwd)).toEqual({ guest: '/in', host: join(cwd, 'work'), readOnly: true });
    expect(parseDirSpec('./work', cwd)).toEqual({ guest: '/work', host: join(cwd, 'work') });
    expect(parseDirSpec('.', cwd)).toEqual({ guest: '/', host: cwd });
    expect(parseDirSpec(join(cwd, 'work'), cwd)).toEqual({ guest: join(cwd, 'work'), host: join(cwd, 'work') });
    expect(parseDirSpec('/data=./work', cwd)).toEqual({ guest: '/data', host: join(cwd, 'work') });
    expect(() => parseDirSpec('work::data', cwd)).toThrow(/absolute guest path/);
    expect(() => parseDirSpec('::/x', cwd)).toThrow(/FAYGER_MOUNT_INVALID|host directory/);
  });
});
