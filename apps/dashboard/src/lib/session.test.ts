import { describe, expect, it } from 'vitest';
import { loginPath, safeNextPath } from './session';

describe('safeNextPath', () => {
  it.each([
    ['/balancers/abc', '/balancers/abc'],
    ['/balancers/abc?x=1', '/balancers/abc?x=1'],
    [null, '/'],
    ['', '/'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example/', '/'],
    ['/login', '/'],
    ['/login?next=/x', '/'],
  ])('%s → %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it('builds the login address', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/balancers/a b')).toBe('/login?next=%2Fbalancers%2Fa%20b');
  });
});
