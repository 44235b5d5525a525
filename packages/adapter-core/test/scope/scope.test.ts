import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaygerError } from '@fayger/contracts';
import {
  findRoot,
  isPathWithin,
  isUrlAllowed,
  normalizeGuestPath,
  normalizeOrigin,
  originOfUrl,
} from '../../src/index.js';

describe('guest paths', () => {
  it('normalises ., .., // and trailing slashes without going above /', () => {
    expect(normalizeGuestPath('/a/./b//c/')).toBe('/a/b/c');
    expect(normalizeGuestPath('/a/../../..')).toBe('/');
    expect(normalizeGuestPath('/')).toBe('/');
    expect(normalizeGuestPath('/a/b/../c')).toBe('/a/c');
    expect(normalizeGuestPath('/%2e%2e/x')).toBe('/%2e%2e/x');
  });

  it('rejects NUL, backslashes, relative and empty paths with ADAPTER_PATH_INVALID', () => {
    for (const p of ['/a\0b', '/a\\..\\b', 'a/b', '', './a']) {
      try {
        normalizeGuestPath(p);
        expect.unreachable(p);
      } catch (e) {
        expect(FaygerError.is(e, 'ADAPTER_PATH_INVALID')).toBe(true);
      }
    }
  });

  it('containment is segment-wise and the longest root wins', () => {
    expect(isPathWithin('/data', '/data')).toBe(true);
    expect(isPathWithin('/data/x', '/data')).toBe(true);
    expect(isPathWithin('/data2/x', '/data')).toBe(false);
    expect(isPathWithin('/anything', '/')).toBe(true);
    expect(findRoot('/data/app/x', ['/data', '/data/app'])).toBe('/data/app');
    expect(findRoot('/etc', ['/data'])).toBeUndefined();
  });

  it('property: a normalised path never holds "." or ".." segments and stays inside a root it was joined to only when it has no net "..": ', () => {
    const seg = fc.constantFrom('a', 'b', '..', '.', '', '%2e%2e', '...');
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 12 }), (segs) => {
        const joined = `/root/${segs.join('/')}`;
        const n = normalizeGuestPath(joined);
        expect(n.split('/').some((s) => s === '.' || s === '..')).toBe(false);
        expect(normalizeGuestPath(n)).toBe(n);
        // Reference: a stack walk over the same segments.
        const stack = ['root'];
        let escaped = false;
        for (const s of segs) {
          if (s === '' || s === '.') continue;
          if (s === '..') {
            stack.pop();
            if (stack.length === 0) escaped = true;
          } else stack.push(s);
        }
        if (!escaped) expect(isPathWithin(n, '/root')).toBe(isPathWithin(`/${stack.join('/')}`, '/root'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('origins', () => {
  it('normalises origins and patterns; rejects paths and junk', () => {
    expect(normalizeOrigin('HTTPS://Example.COM:443/')).toBe('https://example.com');
    expect(normalizeOrigin('http://example.com:8080')).toBe('http://example.com:8080');
    expect(normalizeOrigin('https://*.example.com')).toBe('https://*.example.com');
    expect(normalizeOrigin('https://example.com/x')).toBeUndefined();
    expect(normalizeOrigin('ftp://example.com')).toBeUndefined();
    expect(normalizeOrigin('https://user@example.com')).toBeUndefined();
    expect(normalizeOrigin('https://example.com:99999')).toBeUndefined();
  });

  it('checks request URLs against granted origins', () => {
    expect(originOfUrl('https://user:pw@API.example.com:443/a?b')).toBe('https://api.example.com');
    expect(isUrlAllowed('https://api.example.com/v1', ['https://api.example.com'])).toBe(true);
    expect(isUrlAllowed('https://api.example.com.evil.test/', ['https://api.example.com'])).toBe(false);
    expect(isUrlAllowed('https://x.example.com/', ['https://*.example.com'])).toBe(true);
    expect(isUrlAllowed('https://example.com/', ['https://*.example.com'])).toBe(false);
    expect(isUrlAllowed('http://[::1]:8080/', ['http://[::1]:8080'])).toBe(true);
    expect(isUrlAllowed('file:///etc/passwd', ['https://*.example.com'])).toBe(false);
  });
});
