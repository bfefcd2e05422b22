import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, newNonce } from '@/lib/csp';
import { loginPath } from '@/lib/next-path';
import { SESSION_COOKIE, isSecureRequest } from '@/lib/session-cookie';

// Next's request proxy (formerly middleware) for every page: a fresh CSP nonce per request
// (Next puts it on its own inline scripts), and no console page without a session cookie.
// The token itself is checked by the control plane on the page's first API call.

export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  if (pathname !== '/login' && !request.cookies.has(SESSION_COOKIE)) {
    return NextResponse.redirect(new URL(loginPath(pathname + search), request.url));
  }
  const csp = contentSecurityPolicy({ nonce: newNonce(), dev: process.env.NODE_ENV === 'development', secure: isSecureRequest(request) });
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // Pages only: not the API pass-through nor the login route (a proxy buffers request bodies,
  // and they set their own headers), not static files.
  matcher: ['/((?!api/|session$|_next/static/|_next/image|icon\\.svg$|favicon\\.ico$).*)'],
};
