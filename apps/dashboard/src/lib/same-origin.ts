// CSRF defence in depth for everything that changes state through the dashboard. The session
// cookie is SameSite=Strict already; on top of that a non-GET request must prove it comes from
// a page of the dashboard itself (OWASP CSRF cheat sheet, "Verifying origin with standard
// headers" and "Fetch Metadata").

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Null when `request` may go on, else the reason it is refused (for a 403 detail).
 * GET and HEAD always pass. Any other method passes only when `Sec-Fetch-Site` is
 * `same-origin`, or, from a browser that sends no `Sec-Fetch-Site`, when `Origin` names the
 * host the request was sent to (`Host`). A request carrying neither header is refused:
 * every current browser sends at least one on such requests, and scripts should call the
 * control plane's API directly with a bearer token.
 */
export function crossSiteRefusal(request: Request): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) {
    return site.trim().toLowerCase() === 'same-origin' ? null : `Sec-Fetch-Site is "${site}", not "same-origin"`;
  }
  const origin = request.headers.get('origin');
  if (origin === null) return 'the request carries neither Sec-Fetch-Site nor Origin';
  const host = request.headers.get('host');
  return host !== null && originHost(origin) === host.toLowerCase() ? null : `Origin "${origin}" is not this dashboard`;
}

function originHost(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : null;
  } catch {
    return null; // "null" (sandboxed frames, file:) and garbage
  }
}
