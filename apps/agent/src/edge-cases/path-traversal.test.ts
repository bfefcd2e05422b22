import type { SnapshotRoute } from '@switchboard/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { balancer, member, route } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';

// Issue 7, item 5: `/public/../admin` matched prefix `/public` and went to the member raw, so
// the member served /admin through a route meant for /public. The agent now normalises the
// request target before matching (dot segments, %2e, repeated slashes, backslash, canonical
// escapes) and forwards the normalised path; what it cannot normalise gets 400. Two recording
// members (real node:http parsers) show what arrived where: `public` behind the /public route,
// `rest` behind a catch-all, for plain requests and WebSocket upgrades alike.

const stack = useStack(0);
let publicMember: RecordingMember;
let restMember: RecordingMember;

beforeEach(async () => {
  publicMember = await new RecordingMember().start();
  restMember = await new RecordingMember().start();
});
afterEach(async () => {
  await publicMember.close();
  await restMember.close();
});

/** Serves `/public` (as a prefix or a regex route) on member `public`, everything else on `rest`. */
async function serve(match: SnapshotRoute['match'], stripPrefix = false): Promise<void> {
  await stack.serve({
    balancers: [balancer('public', [member('p1', publicMember.url())]), balancer('rest', [member('r1', restMember.url())])],
    routes: [route('public', 'public', { match, stripPrefix }), route('rest', 'rest', { priority: -1 })],
  });
}

type Expected = { readonly public: string } | { readonly rest: string } | { readonly refused: string };

/** Request target → where it must arrive (the URL the member parses) or the 400's cause. */
const MATRIX: [string, Expected][] = [
  ['/public/x', { public: '/public/x' }],
  ['/public/../admin', { rest: '/admin' }],
  ['/public/%2e%2e/admin', { rest: '/admin' }],
  ['/public/%2E./admin', { rest: '/admin' }],
  ['/public/.%2e/admin', { rest: '/admin' }],
  ['/public//x', { public: '/public/x' }],
  ['//public/x', { public: '/public/x' }],
  ['/public/./x', { public: '/public/x' }],
  ['/public/x/..', { public: '/public/' }],
  ['/public/..\\admin', { rest: '/admin' }],
  ['/public\\x', { public: '/public/x' }],
  ['/public/%7Euser/a%2fb', { public: '/public/~user/a%2Fb' }],
  ['/public/x?next=/../admin&%zz', { public: '/public/x?next=/../admin&%zz' }],
  ['http://app/public/../admin?q', { rest: '/admin?q' }],
  ['/public/..%2Fadmin', { refused: 'segment "..%2Fadmin" hides a dot segment behind an encoded slash (%2F, %5C) or ";"' }],
  ['/public/%2e%2e%5Cadmin', { refused: 'segment "..%5Cadmin" hides a dot segment behind an encoded slash (%2F, %5C) or ";"' }],
  ['/public/..;/admin', { refused: 'segment "..;" hides a dot segment behind an encoded slash (%2F, %5C) or ";"' }],
  ['/..', { refused: '".." climbs above the root' }],
  ['/public/../../admin', { refused: '".." climbs above the root' }],
  ['/public/%00', { refused: 'encoded control character %00 in the path' }],
  ['/public/%zz', { refused: 'invalid percent-encoding "%zz" in the path' }],
  ['/public/x#frag', { refused: 'a fragment (#) is not allowed in a request target' }],
  ['*', { refused: 'must be origin-form (/path) or an absolute http(s) URL' }],
  ['http://elsewhere/public/x', { refused: 'the absolute-form host differs from the Host header (RFC 9112 section 3.2)' }],
];

const plainRequest = (target: string): string => `GET ${target} HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n`;
const upgradeRequest = (target: string): string =>
  `GET ${target} HTTP/1.1\r\nHost: app\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

/** Sends `request`, then checks the answer and which member parsed which URL (and that the other parsed nothing more). */
async function check(request: string, expected: Expected): Promise<void> {
  const seenBefore = { public: publicMember.urls.length, rest: restMember.urls.length };
  const answer = await RawPeer.exchange(stack.agent.port, request);
  const seenNow = { public: publicMember.urls.slice(seenBefore.public), rest: restMember.urls.slice(seenBefore.rest) };
  if ('refused' in expected) {
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.endsWith(`\r\n\r\nbad request target: ${expected.refused}`)).toBe(true);
    expect(seenNow).toEqual({ public: [], rest: [] });
    return;
  }
  const url = 'public' in expected ? expected.public : expected.rest;
  expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(answer.endsWith(`seen GET ${url}`)).toBe(true);
  expect(seenNow).toEqual('public' in expected ? { public: [url], rest: [] } : { public: [], rest: [url] });
}

/** Whatever the variant, the /public member only ever parsed normal paths under /public. */
function onlyPublicPathsReachedPublic(): void {
  for (const url of publicMember.urls) {
    expect(url).toMatch(/^\/public(\/|$|\?)/);
    expect(url.split('?')[0]).not.toMatch(/\/\.{1,2}(\/|$)|\/\/|\\|%2e/i);
  }
}

const ROUTES: [string, SnapshotRoute['match']][] = [
  ['prefix /public', { type: 'prefix', path: '/public' }],
  ['regex ^/public(/|$)', { type: 'regex', path: '^/public(/|$)' }],
];

describe.each(ROUTES)('path traversal through the %s route', (_name, match) => {
  beforeEach(() => serve(match));

  it.each(MATRIX)('plain GET %s', async (target, expected) => {
    await check(plainRequest(target), expected);
    onlyPublicPathsReachedPublic();
    await whenReleased(stack.counters('p1'));
  });

  it.each(MATRIX)('WebSocket upgrade %s', async (target, expected) => {
    await check(upgradeRequest(target), expected);
    onlyPublicPathsReachedPublic();
    await whenReleased(stack.counters('p1'));
  });
});

describe('path traversal, the rest', () => {
  it('never lets a request pipelined behind a refused one reach a member', async () => {
    await serve({ type: 'prefix', path: '/public' });
    const answer = await RawPeer.exchange(stack.agent.port, `GET /public/../../etc/passwd HTTP/1.1\r\nHost: app\r\n\r\nGET /public/next HTTP/1.1\r\nHost: app\r\n\r\n`);
    expect(answer.match(/HTTP\/1\.1 /g)).toEqual(['HTTP/1.1 ']);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*bad request target: "\.\." climbs above the root$/);
    expect([...publicMember.urls, ...restMember.urls]).toEqual([]);
  });

  it('serves the next request on a kept-alive connection with the normalised path', async () => {
    await serve({ type: 'prefix', path: '/public' });
    const client = await RawPeer.connect(stack.agent.port);
    client.write('GET /public/a/../b HTTP/1.1\r\nHost: app\r\n\r\n');
    await client.until('seen GET /public/b');
    client.write('GET /public/%2e/c HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n');
    await client.whenClosed();
    expect(publicMember.urls).toEqual(['/public/b', '/public/c']);
  });

  it('strips the prefix from the normalised path and rewrites nothing else', async () => {
    await serve({ type: 'prefix', path: '/public' }, true);
    await check(plainRequest('/public/./x//y/../z?a=%2e%2e'), { public: '/x/z?a=%2e%2e' });
    await check(plainRequest('/public/x/../../admin'), { rest: '/admin' });
  });
});
