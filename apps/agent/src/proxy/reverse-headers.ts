import type { OutgoingHttpHeaders } from 'node:http';
import type { RuntimeMember } from '../config/runtime';

/**
 * Maps a path-absolute member path back to the client's, the inverse of forwarding through a
 * stripped prefix route: `<basePath>/x` → `<prefix>/x` (with the member URL's path as basePath,
 * usually empty). Undefined when the path is not under basePath, or is not path-absolute (`//h/x`).
 */
function reversePath(path: string, prefix: string, basePath: string): string | undefined {
  if (!path.startsWith('/') || path.startsWith('//')) return undefined;
  if (basePath === '') return prefix + path;
  if (!path.startsWith(basePath)) return undefined;
  const rest = path.slice(basePath.length);
  if (rest === '') return prefix;
  return '/?#'.includes(rest[0]!) ? prefix + rest : undefined;
}

const HTTP_URL = /^https?:\/\//i;

/** A Location value mapped back: path-absolute, or an absolute URL on the member's own origin (answered path-absolute). */
function reverseLocation(value: string, prefix: string, member: RuntimeMember): string | undefined {
  if (value.startsWith('/')) return reversePath(value, prefix, member.target.basePath);
  const scheme = HTTP_URL.exec(value);
  if (scheme === null) return undefined;
  const end = value.slice(scheme[0].length).search(/[/?#]/);
  const authorityEnd = end === -1 ? value.length : scheme[0].length + end;
  let origin: string;
  try {
    origin = new URL(value.slice(0, authorityEnd)).origin;
  } catch {
    return undefined;
  }
  if (origin !== member.origin) return undefined;
  const rest = value.slice(authorityEnd);
  return reversePath(rest.startsWith('/') ? rest : `/${rest}`, prefix, member.target.basePath);
}

/** Cookie attributes `Path=…` (any case, after a `;`; the first pair is the cookie itself). */
const PATH_ATTRIBUTE = /(;\s*path\s*=\s*)([^;]*)/gi;

function reverseCookie(cookie: string, prefix: string, basePath: string): string {
  return cookie.replace(PATH_ATTRIBUTE, (whole, name: string, value: string) => {
    const path = value.trimEnd();
    const mapped = reversePath(path, prefix, basePath);
    return mapped === undefined ? whole : `${name}${mapped}${value.slice(path.length)}`;
  });
}

function rewriteLocationHeader(headers: OutgoingHttpHeaders, name: 'location' | 'content-location', prefix: string, member: RuntimeMember): void {
  const value = headers[name];
  if (typeof value !== 'string') return;
  const mapped = reverseLocation(value, prefix, member);
  if (mapped !== undefined) headers[name] = mapped;
}

/**
 * ProxyPassReverse and ProxyPassReverseCookiePath for a response through a `prefix` route with
 * stripPrefix: `Location` and `Content-Location` that are path-absolute (`/x`) or absolute URLs
 * on the member's own origin become `<prefix>/x`, and `Set-Cookie` attributes `Path=/x` become
 * `Path=<prefix>/x`; anything else (other hosts, relative references, other attributes) is kept.
 * Only those three headers are read.
 */
export function reverseResponseHeaders(headers: OutgoingHttpHeaders, prefix: string, member: RuntimeMember): void {
  rewriteLocationHeader(headers, 'location', prefix, member);
  rewriteLocationHeader(headers, 'content-location', prefix, member);
  const cookies = headers['set-cookie'];
  if (Array.isArray(cookies)) headers['set-cookie'] = cookies.map((cookie) => reverseCookie(cookie, prefix, member.target.basePath));
}
