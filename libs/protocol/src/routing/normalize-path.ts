import { splitTarget } from './routes';

/**
 * A request target normalised for matching and forwarding: `path` (origin-form, no dot segments,
 * no repeated slashes) and `query` (with its `?`, exactly as received, or ''); or why it cannot be.
 */
export type NormalizedTarget = { readonly path: string; readonly query: string } | { readonly error: string };

/** Paths holding none of these are already normal (the common case costs one regex test). */
const NEEDS_WORK = /[%\\#]|[^!-~]|\/\.|\/\//;

/** `http://authority` or `https://authority` at the start of an absolute-form target (scheme case-insensitive, RFC 3986 §3.1). */
const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)/i;

/** RFC 3986 §2.3 unreserved characters, decoded wherever they are percent-encoded (§6.2.2.2), `.` included. */
const UNRESERVED = /[A-Za-z0-9\-._~]/;

const refuse = (cause: string): { error: string } => ({ error: `bad request target: ${cause}` });

/** Value of a hex digit's char code, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/**
 * Step 1 of normalizePath: percent-escapes checked and made canonical (unreserved characters
 * decoded, so `%2e` is a `.`; others kept with upper-case hex, so `%2f` is `%2F`, never decoded),
 * a raw `\` read as `/` (as WHATWG URL parsers and Envoy's normalize_path do: a Windows member
 * would read it as a separator), and refused: an invalid escape, an encoded control character (`%00`–`%1F`, `%7F`: NUL
 * truncates paths in C members), a raw control, space or non-ASCII character, and `#`.
 */
function canonicalEscapes(raw: string): string | { error: string } {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x25) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return refuse(`invalid percent-encoding ${JSON.stringify(raw.slice(i, i + 3))} in the path`);
      const byte = hi * 16 + lo;
      const escape = `%${raw.slice(i + 1, i + 3).toUpperCase()}`;
      if (byte < 0x20 || byte === 0x7f) return refuse(`encoded control character ${escape} in the path`);
      const char = String.fromCharCode(byte);
      out += UNRESERVED.test(char) ? char : escape;
      i += 2;
    } else if (code === 0x5c) out += '/';
    else if (code === 0x23) return refuse('a fragment (#) is not allowed in a request target');
    else if (code <= 0x20 || code >= 0x7f) return refuse('control, space or non-ASCII character in the path');
    else out += raw[i];
  }
  return out;
}

/**
 * True for a segment that becomes a dot segment for a member reading it differently: one whose
 * pieces between encoded slashes (`..%2Fadmin`, `..%5Cadmin`: a member decoding `%2F` first
 * would climb), or whose part before `;` (`..;`, read as `..` by Tomcat: Orange Tsai, "Breaking
 * Parser Logic", Black Hat 2018), is `.` or `..`.
 */
function hidesDotSegment(segment: string): boolean {
  if (!segment.includes('%2F') && !segment.includes('%5C') && !segment.includes(';')) return false;
  return segment.split(/%2F|%5C/).some((piece) => {
    const name = piece.split(';', 1)[0];
    return name === '.' || name === '..';
  });
}

/**
 * Step 2 of normalizePath: repeated slashes merged (Envoy's merge_slashes; merged first, as a
 * file system reads `a//..`), then RFC 3986 §5.2.4 remove_dot_segments, refusing `..` above the
 * root (nothing legitimate asks for it) and segments hiding a dot segment (hidesDotSegment).
 * A trailing `/`, `/.` or `/..` leaves a trailing slash.
 */
function removeDotSegments(path: string): string | { error: string } {
  const segments = path.split('/');
  const kept: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i];
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (kept.pop() === undefined) return refuse('".." climbs above the root');
      continue;
    }
    if (hidesDotSegment(segment)) return refuse(`segment ${JSON.stringify(segment)} hides a dot segment behind an encoded slash (%2F, %5C) or ";"`);
    kept.push(segment);
  }
  const last = segments[segments.length - 1];
  const trailing = kept.length > 0 && (last === '' || last === '.' || last === '..');
  return `/${kept.join('/')}${trailing ? '/' : ''}`;
}

/**
 * Normalises an origin-form path (starting with `/`, without the query) as Envoy's
 * `normalize_path` + `merge_slashes` do, so that what a route matches is what the member gets:
 * escapes made canonical (canonicalEscapes: `%2e` is a dot, `%2F`/`%5C` stay encoded), raw `\`
 * as `/`, slashes merged and dot segments removed (removeDotSegments). Returns the path (the
 * same string when already normal) or `{ error }` naming the cause (for a 400).
 */
export function normalizePath(path: string): string | { error: string } {
  if (!NEEDS_WORK.test(path)) return path;
  const canonical = canonicalEscapes(path);
  return typeof canonical === 'string' ? removeDotSegments(canonical) : canonical;
}

/**
 * The path and query of an absolute-form target (`http://host/path?q`, RFC 9112 §3.2.2, which a
 * server must accept), whose authority must be the Host header (§3.2: a client sends them
 * identical), so routes and members see one host; else an error.
 */
function absoluteForm(target: string, hostHeader: string | undefined): { path: string; query: string } | { error: string } {
  const found = ABSOLUTE_FORM.exec(target);
  if (found === null) return refuse('must be origin-form (/path) or an absolute http(s) URL');
  const authority = found[1].toLowerCase();
  if (authority.includes('@')) return refuse('user information is not allowed in an absolute-form target');
  if (authority !== (hostHeader ?? '').toLowerCase()) return refuse('the absolute-form host differs from the Host header (RFC 9112 section 3.2)');
  const rest = target.slice(found[0].length);
  const { path, query } = splitTarget(rest);
  return { path: path === '' ? '/' : path, query };
}

/**
 * Normalises a request target (Node's `req.url`) for routing and forwarding, the same for plain
 * requests and upgrades: origin-form, or absolute-form whose host is the Host header (then
 * forwarded in origin-form); the path through normalizePath, the query kept byte for byte.
 * `*` (asterisk-form) and anything else are refused. Never throws: a bad target gets `{ error }`.
 */
export function normalizeTarget(target: string, hostHeader: string | undefined): NormalizedTarget {
  const parts = target.startsWith('/') ? splitTarget(target) : absoluteForm(target, hostHeader);
  if ('error' in parts) return parts;
  const path = normalizePath(parts.path);
  return typeof path === 'string' ? { path, query: parts.query } : path;
}
