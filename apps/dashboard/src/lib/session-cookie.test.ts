import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, isSecureRequest, sessionCookie, sessionToken, tokenProblem } from './session-cookie';

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Strict, host-only on Path=/, and Secure over https only', () => {
    expect(sessionCookie('sb_abc', false)).toBe('switchboard_session=sb_abc; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('sb_abc', true)).toBe('switchboard_session=sb_abc; Path=/; HttpOnly; SameSite=Strict; Secure');
    expect(clearedSessionCookie(true)).toBe('switchboard_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure');
  });

  it('reads the token back, encoded or not, among other cookies', () => {
    const headers = (cookie: string) => new Headers({ cookie });
    expect(sessionToken(headers('a=1; switchboard_session=sb_abc; b=2'))).toBe('sb_abc');
    expect(sessionToken(headers(sessionCookie('to;k=en,"x"', false).split(';')[0]))).toBe('to;k=en,"x"');
    expect(sessionToken(headers('switchboard_sessionx=sb_abc'))).toBeNull();
    expect(sessionToken(headers('switchboard_session='))).toBeNull();
    expect(sessionToken(headers('switchboard_session=%E0%A4%A'))).toBeNull();
    expect(sessionToken(headers('switchboard_session=a%0d%0aX-Evil:%201'))).toBeNull();
    expect(sessionToken(new Headers())).toBeNull();
  });

  it.each([
    ['sb_0123456789abcdef', null],
    ['', 'must be a non-empty string'],
    ['   ', 'must be a non-empty string'],
    [42, 'must be a non-empty string'],
    [undefined, 'must be a non-empty string'],
    ['a b', 'must be printable ASCII without spaces'],
    ['tok\r\nX-Evil: 1', 'must be printable ASCII without spaces'],
    ['tokén', 'must be printable ASCII without spaces'],
    ['x'.repeat(513), 'must be at most 512 characters'],
  ])('token %j → %s', (token, problem) => {
    expect(tokenProblem(token)).toBe(problem);
  });

  it('knows https from the URL or from a TLS terminator in front', () => {
    expect(isSecureRequest(new Request('https://dash.example/session'))).toBe(true);
    expect(isSecureRequest(new Request('http://dash.example/session'))).toBe(false);
    expect(isSecureRequest(new Request('http://dash.example/session', { headers: { 'x-forwarded-proto': 'HTTPS, http' } }))).toBe(true);
    expect(isSecureRequest(new Request('http://dash.example/session', { headers: { 'x-forwarded-proto': 'http' } }))).toBe(false);
  });
});
