import { describe, expect, it } from 'vitest';
import { loginPath, safeNextPath } from './next-path';

describe('safeNextPath', () => {
  it.each([
    // accepted: same-origin absolute paths, normalised
    ['/balancers/x', '/balancers/x'],
    ['/balancers/abc?tab=members#m1', '/balancers/abc?tab=members#m1'],
    ['/', '/'],
    ['/balancers/a%20b', '/balancers/a%20b'],
    ['/balancers/a%2Fb', '/balancers/a%2Fb'],
    ['/balancers/../balancers/x', '/balancers/x'],
    ['/balancers/x?next=//evil.com', '/balancers/x?next=//evil.com'],
    // nothing to go to
    [null, '/'],
    [undefined, '/'],
    ['', '/'],
    // other origins and schemes
    ['https://evil.com', '/'],
    ['http://evil.com/balancers', '/'],
    ['javascript:alert(1)', '/'],
    ['JaVaScRiPt:alert(1)', '/'],
    ['data:text/html,<script>alert(1)</script>', '/'],
    ['evil.com', '/'],
    ['balancers/x', '/'],
    // scheme-relative, with backslashes, encoded
    ['//evil.com', '/'],
    ['//evil.com/balancers', '/'],
    ['///evil.com', '/'],
    ['/\\evil.com', '/'],
    ['/\\/evil.com', '/'],
    ['\\\\evil.com', '/'],
    ['/%2F%2Fevil.com', '/'],
    ['/%2f%2fevil.com', '/'],
    ['%2F%2Fevil.com', '/'],
    ['/%5Cevil.com', '/'],
    ['/%5cevil.com', '/'],
    ['/%252F%252Fevil.com', '/'],
    ['/%25252F%25252Fevil.com', '/'],
    ['/%255Cevil.com', '/'],
    ['/balancers/%E0%A4%A', '/'],
    // whitespace and control characters (browsers strip tab/newline: "/\t/evil.com" is "//evil.com")
    [' //evil.com', '/'],
    ['/\t/evil.com', '/'],
    ['/\n/evil.com', '/'],
    ['/\r/evil.com', '/'],
    ['/ /evil.com', '/'],
    ['/%09/evil.com', '/'],
    ['/%0a/evil.com', '/'],
    ['/%0D%0A/evil.com', '/'],
    ['/%20/evil.com', '/'],
    ['/\u0000/evil.com', '/'],
    ['/%00/evil.com', '/'],
    ['/\u00a0/evil.com', '/'],
    // the login page itself (no loop)
    ['/login', '/'],
    ['/login?next=/x', '/'],
    ['/login/', '/'],
    ['/./login', '/'],
    // too long
    [`/${'a'.repeat(2048)}`, '/'],
  ])('%j → %s', (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });
});

describe('loginPath', () => {
  it('names where the user was, unless that is nowhere worth returning to', () => {
    expect(loginPath('/')).toBe('/login');
    expect(loginPath('/balancers/a%20b?x=1')).toBe('/login?next=%2Fbalancers%2Fa%2520b%3Fx%3D1');
    expect(loginPath('//evil.com')).toBe('/login');
  });
});
