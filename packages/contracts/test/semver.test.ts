import { describe, expect, it } from 'vitest';
import { compareSemVer, maxSatisfying, parseSemVer, parseSemVerRange, satisfies } from '../src/index.js';

describe('semver', () => {
  it('parses versions and orders them by precedence', () => {
    expect(parseSemVer('1.2.3-alpha.1+build')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: ['alpha', 1] });
    expect(parseSemVer('01.2.3')).toBeUndefined();
    expect(parseSemVer('1.2')).toBeUndefined();
    const order = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
    ];
    for (let i = 1; i < order.length; i++)
      expect(compareSemVer(parseSemVer(order[i - 1]!)!, parseSemVer(order[i]!)!)).toBeLessThan(0);
  });

  it.each([
    ['^1.2.3', '1.2.3', true],
    ['^1.2.3', '1.9.0', true],
    ['^1.2.3', '2.0.0', false],
    ['^1.2.3', '1.2.2', false],
    ['^0.2.3', '0.2.9', true],
    ['^0.2.3', '0.3.0', false],
    ['^0.0.3', '0.0.4', false],
    ['^1.2.3', '2.0.0-alpha', false],
    ['~1.2.3', '1.2.9', true],
    ['~1.2.3', '1.3.0', false],
    ['~1', '1.9.9', true],
    ['~1.2', '1.2.0', true],
    ['1.x', '1.5.0', true],
    ['1.x', '2.0.0', false],
    ['1.2.*', '1.2.7', true],
    ['*', '9.9.9', true],
    ['', '0.0.1', true],
    ['>=1.0.0 <2', '1.99.0', true],
    ['>=1.0.0 <2', '2.0.0', false],
    ['>1.2', '1.2.9', false],
    ['>1.2', '1.3.0', true],
    ['<=1.2', '1.2.9', true],
    ['<=1.2', '1.3.0', false],
    ['1.2.3', '1.2.3', true],
    ['=1.2.3', '1.2.4', false],
    ['^0.9 || ^1', '1.4.0', true],
    ['^0.9 || ^1', '0.8.0', false],
    ['1.2 - 1.4', '1.4.9', true],
    ['1.2 - 1.4', '1.5.0', false],
    ['>=1.0.0-beta', '1.0.0-rc.1', true],
    ['>=1.0.0-beta', '1.0.1-rc.1', false],
    ['>= 1.2', '1.2.0', true],
  ] as const)('%s ∋ %s → %s', (range, version, want) => {
    expect(satisfies(version, range)).toBe(want);
  });

  it('rejects invalid ranges and picks the highest satisfying version', () => {
    expect(parseSemVerRange('^x.y')).toBeUndefined();
    expect(parseSemVerRange('>=1 <')).toBeUndefined();
    expect(satisfies('1.0.0', 'nonsense')).toBe(false);
    expect(maxSatisfying(['1.0.0', '1.4.0', '2.0.0', 'bad'], '^1')).toBe('1.4.0');
    expect(maxSatisfying(['2.0.0'], '^1')).toBeUndefined();
  });
});
