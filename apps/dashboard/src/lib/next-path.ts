// Where the dashboard may send a user after login: same-origin paths only (no open redirect,
// OWASP "Unvalidated Redirects and Forwards"). Pure: used by the login form and by proxy.ts.

/** Longer `next` values are refused rather than carried around in URLs. */
const MAX_NEXT_LENGTH = 2048;

/** How many rounds of percent-decoding are inspected (`%252F` is `%2F` after one round). */
const DECODE_ROUNDS = 3;

const PROBE_ORIGIN = 'http://next-path.invalid';

/** Whitespace and control characters: browsers drop tab and newline from URLs. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const INVISIBLE = /[\s\u0000-\u001f\u007f]/u;
const ALL_INVISIBLE = new RegExp(INVISIBLE.source, 'gu');

/**
 * True when a decoded form of `next` could take a browser, or a later decoder, off the
 * origin: it starts with `//` (scheme-relative) once whitespace and control characters are
 * dropped (so `/\t/evil` counts as `//evil`), or it holds a backslash (browsers read `\` as
 * `/` in http URLs, so `/\evil` is `//evil`).
 */
function looksOffsite(decoded: string): boolean {
  return decoded.replace(ALL_INVISIBLE, '').startsWith('//') || decoded.includes('\\');
}

/** `text` and what it decodes to over a few rounds; null when a round is malformed. */
function decodings(text: string): string[] | null {
  const out = [text];
  let current = text;
  for (let i = 0; i < DECODE_ROUNDS; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (next === current) break;
    out.push(next);
    current = next;
  }
  return out;
}

function isLoginPath(pathname: string): boolean {
  return pathname === '/login' || pathname.startsWith('/login/');
}

/**
 * The post-login destination for a `?next=` value: a same-origin absolute path
 * (`/balancers/x?tab=1#m`, normalised by the WHATWG URL parser), else `/`. Refused, whatever
 * their encoding (up to three rounds of percent-decoding are checked): other schemes
 * (`https:`, `javascript:`), scheme-relative `//host` (also with whitespace or control
 * characters between the slashes), backslashes, raw whitespace and control characters,
 * malformed percent-encoding, relative paths, the login page itself, and values over 2048
 * characters.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > MAX_NEXT_LENGTH || !next.startsWith('/')) return '/';
  if (INVISIBLE.test(next)) return '/';
  const forms = decodings(next);
  if (!forms || forms.some(looksOffsite)) return '/';
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== PROBE_ORIGIN || isLoginPath(url.pathname)) return '/';
  return url.pathname + url.search + url.hash;
}

/** `/login`, with `?next=` naming `currentPath` when that is a destination worth returning to. */
export function loginPath(currentPath: string): string {
  const next = safeNextPath(currentPath);
  return next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`;
}
