import type { CapabilityOffer, CapabilityRequest, HostPolicy } from '@fayger/contracts';
import { FaygerError } from '@fayger/contracts';
import { describe, expect, it } from 'vitest';
import { assertRequiredGranted, negotiate } from '../../src/index.js';

const r = (
  name: string,
  required = true,
  scope?: CapabilityRequest['scope'],
  quota?: CapabilityRequest['quota'],
): CapabilityRequest => ({
  name,
  required,
  ...(scope ? { scope } : {}),
  ...(quota ? { quota } : {}),
});

const available: CapabilityOffer[] = [
  { name: 'log' },
  { name: 'clock' },
  { name: 'fs.read', scope: { roots: ['/data', '/assets'] } },
  { name: 'fs.write', scope: { roots: ['/data'] } },
  { name: 'net.http' },
  { name: 'net.listen', scope: { ports: [0, 8080, 8081] } },
  { name: 'env', scope: { variables: ['HOME', 'LANG', 'SECRET'] } },
  { name: 'kv', quota: { bytes: 1000 } },
];

describe('negotiate', () => {
  it('grants requested ∩ available ∩ policy and default-denies the rest', () => {
    const policy: HostPolicy = { allow: [{ name: 'log' }, { name: 'fs.read', scope: { roots: ['/data'] } }] };
    const rep = negotiate([r('log'), r('clock', false), r('fs.read'), r('ui', false)], available, policy, {
      adapterId: 'server',
    });
    expect(rep.granted).toEqual([{ name: 'log' }, { name: 'fs.read', scope: { roots: ['/data'] } }]);
    expect(rep.missingRequired).toEqual([]);
    expect(rep.absentOptional).toEqual(['clock', 'ui']);
    const clock = rep.entries.find((e) => e.name === 'clock')!;
    expect(clock.policy.allowed).toBe(false);
    expect(clock.reason).toContain('default deny');
    const ui = rep.entries.find((e) => e.name === 'ui')!;
    expect(ui.available.allowed).toBe(false);
    expect(ui.reason).toContain('server adapter does not offer ui');
  });

  it('unknown and duplicate capabilities are denied with a reason; malformed requests too', () => {
    const rep = negotiate([r('teleport'), r('log'), r('log', false), { name: 5 } as never], available, {
      allow: 'available',
    });
    expect(rep.entries.map((e) => [e.name, e.granted])).toEqual([
      ['teleport', false],
      ['log', true],
      ['log', false],
      ['?', false],
    ]);
    expect(rep.entries[0]!.reason).toContain('unknown capability');
    expect(rep.entries[2]!.reason).toContain('duplicate');
    expect(rep.entries[3]!.reason).toContain('malformed');
    expect(rep.missingRequired).toEqual(['teleport']);
  });

  it('deny rules win over allow', () => {
    const rep = negotiate([r('log')], available, {
      allow: 'available',
      deny: [{ name: 'log', reason: 'quiet please' }],
    });
    expect(rep.granted).toEqual([]);
    expect(rep.entries[0]!.reason).toContain('quiet please');
  });

  describe('fs roots', () => {
    const pol = (roots?: string[]): HostPolicy => ({
      allow: [{ name: 'fs.read', ...(roots ? { scope: { roots } } : {}) }],
    });
    const grantRoots = (req: string[] | undefined, policyRoots?: string[]) =>
      negotiate([r('fs.read', false, req ? { roots: req } : undefined)], available, pol(policyRoots)).granted[0]?.scope
        ?.roots;

    it('a requested root is granted only inside an available and a policy root', () => {
      expect(grantRoots(['/data/app'], ['/data'])).toEqual(['/data/app']);
      expect(grantRoots(['/data'], ['/data/app'])).toBeUndefined();
      expect(grantRoots(['/data/app', '/etc'], ['/'])).toEqual(['/data/app']);
      expect(grantRoots(['/assets/x'], ['/data'])).toBeUndefined();
    });

    it('compares segment-wise on normalised POSIX paths: no "/data2" in "/data", no escape by ".."', () => {
      expect(grantRoots(['/data2'])).toBeUndefined();
      expect(grantRoots(['/data/../etc'])).toBeUndefined();
      expect(grantRoots(['/data/./x/', '//data//y'])).toEqual(['/data/x', '/data/y']);
      expect(grantRoots(['/data/x/../../data/z'])).toEqual(['/data/z']);
      expect(grantRoots(['relative', '/data/a\0b'])).toBeUndefined();
    });

    it('without a requested scope the narrower of available and policy wins', () => {
      expect(grantRoots(undefined, ['/data/app', '/assets'])).toEqual(['/data/app', '/assets']);
      expect(grantRoots(undefined, ['/'])).toEqual(['/data', '/assets']);
      expect(grantRoots(undefined)).toEqual(['/data', '/assets']);
    });

    it('an empty intersection denies the capability and says why', () => {
      const rep = negotiate([r('fs.read', true, { roots: ['/etc'] })], available, pol(['/data']));
      expect(rep.missingRequired).toEqual(['fs.read']);
      expect(rep.entries[0]!.reason).toMatch(
        /no roots left.*requested \/etc.*offers \/data, \/assets.*policy allows \/data/,
      );
    });
  });

  describe('net.http origins', () => {
    const grant = (req: string[] | undefined, allowed: string[], offer?: string[]) =>
      negotiate(
        [r('net.http', false, req ? { origins: req } : undefined)],
        [{ name: 'net.http', ...(offer ? { scope: { origins: offer } } : {}) }],
        { allow: [{ name: 'net.http', scope: { origins: allowed } }] },
      ).granted[0]?.scope?.origins;

    it('exact origins match after normalisation (case, default port)', () => {
      expect(grant(['HTTPS://API.Example.com:443'], ['https://api.example.com'])).toEqual(['https://api.example.com']);
      expect(grant(['https://api.example.com:8443'], ['https://api.example.com'])).toBeUndefined();
      expect(grant(['http://api.example.com'], ['https://api.example.com'])).toBeUndefined();
      expect(grant(['https://api.example.com/path'], ['https://api.example.com'])).toBeUndefined();
    });

    it('"*." patterns cover subdomains but not the apex or look-alikes', () => {
      expect(grant(['https://a.example.com', 'https://b.c.example.com'], ['https://*.example.com'])).toEqual([
        'https://a.example.com',
        'https://b.c.example.com',
      ]);
      expect(grant(['https://example.com'], ['https://*.example.com'])).toBeUndefined();
      expect(grant(['https://evilexample.com'], ['https://*.example.com'])).toBeUndefined();
      expect(grant(['https://*.example.com'], ['https://*.a.example.com'])).toBeUndefined();
      expect(grant(['https://*.a.example.com'], ['https://*.example.com'])).toEqual(['https://*.a.example.com']);
      expect(grant(undefined, ['https://x.example.com'], ['https://*.example.com'])).toEqual(['https://x.example.com']);
    });
  });

  it('ports, variables and namespaces intersect exactly', () => {
    const rep = negotiate(
      [
        r('net.listen', true, { ports: [8080, 9000] }),
        r('env', true, { variables: ['HOME', 'PATH'] }),
        r('kv', true, { namespaces: ['a', 'b'] }),
      ],
      available,
      {
        allow: [
          { name: 'net.listen' },
          { name: 'env', scope: { variables: ['HOME', 'LANG', 'PATH'] } },
          { name: 'kv', scope: { namespaces: ['b'] } },
        ],
      },
    );
    expect(rep.granted).toEqual([
      { name: 'net.listen', scope: { ports: [8080] } },
      { name: 'env', scope: { variables: ['HOME'] } },
      { name: 'kv', scope: { namespaces: ['b'] }, quota: { bytes: 1000 } },
    ]);
  });

  it('quotas take the minimum of every side, field by field', () => {
    const rep = negotiate([r('kv', true, undefined, { calls: 100, bytes: 5000 })], available, {
      allow: [{ name: 'kv', quota: { ratePerSecond: 10, calls: 50 } }],
    });
    expect(rep.granted[0]!.quota).toEqual({ calls: 50, bytes: 1000, ratePerSecond: 10 });
    const dflt = negotiate([r('log')], available, { allow: 'available', defaultQuota: { calls: 7 } });
    expect(dflt.granted[0]!.quota).toEqual({ calls: 7 });
  });

  it('a malformed policy is a typed error; assertRequiredGranted names what is missing', () => {
    expect(() => negotiate([], available, { allow: 'everything' } as never)).toThrow(
      expect.objectContaining({ code: 'CAPABILITY_NEGOTIATION_INVALID' }),
    );
    const rep = negotiate([r('ui'), r('log')], available, { allow: 'available' });
    try {
      assertRequiredGranted(rep);
      expect.unreachable();
    } catch (e) {
      expect(FaygerError.is(e, 'CAPABILITY_REQUIRED_MISSING')).toBe(true);
      expect((e as Error).message).toContain('ui');
    }
    expect(() => assertRequiredGranted(negotiate([r('log')], available, { allow: 'available' }))).not.toThrow();
  });
});
