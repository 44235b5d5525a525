import type { CapabilityGrant, UniversalInstruction } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { confineInstruction } from '../../src/index.js';

const ins = (op: string, args: unknown) => ({ v: 1, id: 'x', op, args, instanceId: 'i' }) as UniversalInstruction;
const grant = (name: string, scope: CapabilityGrant['scope']) => ({ name, scope }) as CapabilityGrant;

describe('confineInstruction (the bus scope checks, for adapters that forward calls)', () => {
  it('refuses what is outside the grant, answers ungranted env.get with null, lets the rest through', () => {
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return FaygerError.is(e) ? e.code : String(e);
      }
      return 'passed';
    };
    expect(
      refused(() =>
        confineInstruction(ins('fs.read', { path: '/etc/passwd' }), grant('fs.read', { roots: ['/data'] })),
      ),
    ).toBe('CAPABILITY_SCOPE_DENIED');
    expect(
      confineInstruction(ins('fs.read', { path: '/data/a' }), grant('fs.read', { roots: ['/data'] })),
    ).toBeUndefined();
    expect(
      refused(() =>
        confineInstruction(
          ins('net.http', { url: 'https://evil.example/' }),
          grant('net.http', { origins: ['https://ok.example'] }),
        ),
      ),
    ).toBe('CAPABILITY_SCOPE_DENIED');
    expect(
      refused(() =>
        confineInstruction(ins('kv.get', { namespace: 'other', key: 'k' }), grant('kv', { namespaces: ['app'] })),
      ),
    ).toBe('CAPABILITY_SCOPE_DENIED');
    expect(confineInstruction(ins('env.get', { name: 'HOME' }), grant('env', { variables: ['LANG'] }))).toEqual({
      value: { value: null },
    });
    expect(confineInstruction(ins('clock.now', { clock: 'realtime' }), grant('clock', undefined))).toBeUndefined();
  });
});
