// Server side of the dashboard session: the API token travels between browser and dashboard
// only in an HttpOnly, SameSite=Strict cookie, so page scripts can never read it (an XSS
// cannot steal it) and other sites cannot make the browser send it (RFC 6265bis §8.8).

/** Name of the session cookie; its value is the API token, percent-encoded. */
export const SESSION_COOKIE = 'switchboard_session';

/** Longest token the login route accepts (the control plane issues ~50-character tokens). */
export const MAX_TOKEN_LENGTH = 512;

/** Printable ASCII without spaces: anything else cannot be a token and could not be a header value. */
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;

/** Null when `token` looks like an API token, else why not (for a 400 naming the field). */
export function tokenProblem(token: unknown): string | null {
  if (typeof token !== 'string' || token.trim() === '') return 'must be a non-empty string';
  if (token.length > MAX_TOKEN_LENGTH) return `must be at most ${MAX_TOKEN_LENGTH} characters`;
  if (!TOKEN_SHAPE.test(token)) return 'must be printable ASCII without spaces';
  return null;
}

/**
 * True when the browser reached the dashboard over https: the request URL says so, or a TLS
 * terminator in front said so in `X-Forwarded-Proto` (its first value). A client lying about
 * it only gets a Secure cookie its browser will not keep over http.
 */
export function isSecureRequest(request: Request): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  const forwarded = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return forwarded === 'https';
}

function attributes(secure: boolean): string {
  // No Max-Age: a browser-session cookie. No Domain: host-only.
  return `Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** `Set-Cookie` value that stores `token` as the session. */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; ${attributes(secure)}`;
}

/** `Set-Cookie` value that removes the session (same name, path and attributes; Max-Age=0). */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Max-Age=0; ${attributes(secure)}`;
}

/** The session token of a request's `Cookie` header, or null when absent or malformed. */
export function sessionToken(headers: Headers): string | null {
  const header = headers.get('cookie');
  if (!header) return null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    let token: string;
    try {
      token = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return null;
    }
    return tokenProblem(token) === null ? token : null;
  }
  return null;
}
