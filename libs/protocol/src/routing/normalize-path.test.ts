import { describe, expect, it } from 'vitest';
import { normalizePath, normalizeTarget } from './normalize-path';

describe('normalizePath', () => {
  it.each([
    // already normal: returned as is
    ['/', '/'],
    ['/public/x', '/public/x'],
    ['/public/x/', '/public/x/'],
    ['/a:b@c!$&\'()*+,;=-_~', '/a:b@c!$&\'()*+,;=-_~'],
    // RFC 3986 §5.2.4 remove_dot_segments
    ['/public/../admin', '/admin'],
    ['/public/./x', '/public/x'],
    ['/public/x/..', '/public/'],
    ['/public/x/.', '/public/x/'],
    ['/public/..', '/'],
    ['/a/b/../../c', '/c'],
    ['/.well-known/x', '/.well-known/x'],
    ['/a/.../b', '/a/.../b'],
    ['/a/..b/c', '/a/..b/c'],
    // percent-encoded dots are dots
    ['/public/%2e%2e/admin', '/admin'],
    ['/public/%2E./admin', '/admin'],
    ['/public/.%2E/admin', '/admin'],
    ['/public/%2e/x', '/public/x'],
    // merge_slashes, then dots
    ['/public//x', '/public/x'],
    ['//public///x//', '/public/x/'],
    ['/public//../admin', '/admin'],
    // raw backslash read as a slash
    ['/public/..\\admin', '/admin'],
    ['/public\\x', '/public/x'],
    // unreserved characters decoded, other escapes kept with upper-case hex
    ['/%70ublic/%7Ex', '/public/~x'],
    ['/a%2fb', '/a%2Fb'],
    ['/a%5cb', '/a%5Cb'],
    ['/caf%c3%a9', '/caf%C3%A9'],
    ['/a%20b', '/a%20b'],
    ['/100%25', '/100%25'],
    ['/%252e%252e/x', '/%252e%252e/x'],
    ['/a;v=1/b', '/a;v=1/b'],
  ])('%s → %s', (raw, expected) => expect(normalizePath(raw)).toBe(expected));

  it.each([
    ['/..', '".." climbs above the root'],
    ['/../x', '".." climbs above the root'],
    ['/public/../../x', '".." climbs above the root'],
    ['/%2e%2e/x', '".." climbs above the root'],
    ['/public/%zz', 'invalid percent-encoding "%zz" in the path'],
    ['/public/%2', 'invalid percent-encoding "%2" in the path'],
    ['/public/%', 'invalid percent-encoding "%" in the path'],
    ['/public/%00', 'encoded control character %00 in the path'],
    ['/public/x%0d%0aSet-Cookie:a', 'encoded control character %0D in the path'],
    ['/public/%7f', 'encoded control character %7F in the path'],
    ['/public/..%2Fadmin', 'segment "..%2Fadmin" hides a dot segment behind an encoded slash (%2F, %5C) or ";"'],
    ['/public/..%2fadmin', 'segment "..%2Fadmin" hides a dot segment behind an encoded slash (%2F, %5C) or ";"'],
    ['/public/%2e%2e%5cadmin', 'segment "..%5Cadmin" hides a dot segment behind an encoded slash (%2F, %5C) or ";"'],
    ['/public/x%2F..%2F..%2Fadmin', 'segment "x%2F..%2F..%2Fadmin" hides a dot segment behind an encoded slash (%2F, %5C) or ";"'],
    ['/public/..;/admin', 'segment "..;" hides a dot segment behind an encoded slash (%2F, %5C) or ";"'],
    ['/public/a#b', 'a fragment (#) is not allowed in a request target'],
    ['/public/a\x00b', 'control, space or non-ASCII character in the path'],
    ['/public/a b', 'control, space or non-ASCII character in the path'],
    ['/public/é', 'control, space or non-ASCII character in the path'],
  ])('%s is refused: %s', (raw, cause) => expect(normalizePath(raw)).toEqual({ error: `bad request target: ${cause}` }));

  it('returns the same string when there is nothing to do (no allocation on the hot path)', () => {
    const path = '/api/v1/items/42';
    expect(normalizePath(path)).toBe(path);
  });
});

describe('normalizeTarget', () => {
  it.each([
    ['/public/../admin?x=/../y', { path: '/admin', query: '?x=/../y' }],
    ['/a?%zz&b=..%2F#frag', { path: '/a', query: '?%zz&b=..%2F#frag' }],
    ['/a?', { path: '/a', query: '?' }],
    ['http://app.example/public/../x?q=1', { path: '/x', query: '?q=1' }],
    ['HTTPS://App.Example', { path: '/', query: '' }],
    ['http://app.example?q', { path: '/', query: '?q' }],
  ])('%s → %o', (target, expected) => expect(normalizeTarget(target, 'app.example')).toEqual(expected));

  it.each([
    ['*', 'must be origin-form (/path) or an absolute http(s) URL'],
    ['app.example:80', 'must be origin-form (/path) or an absolute http(s) URL'],
    ['ftp://app.example/x', 'must be origin-form (/path) or an absolute http(s) URL'],
    ['http://other.example/x', 'the absolute-form host differs from the Host header (RFC 9112 section 3.2)'],
    ['http://user:pw@app.example/x', 'user information is not allowed in an absolute-form target'],
    ['http://app.example/public/../../admin', '".." climbs above the root'],
    ['http://app.example/%zz', 'invalid percent-encoding "%zz" in the path'],
  ])('%s is refused: %s', (target, cause) => expect(normalizeTarget(target, 'app.example')).toEqual({ error: `bad request target: ${cause}` }));
});
