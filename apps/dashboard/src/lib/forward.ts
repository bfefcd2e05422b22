// The `/api/v1/*` route of the dashboard: same-origin check, session cookie → bearer token,
// forward, and end the session when the control plane no longer knows its token.

import { proxyToControlPlane, problem, type ProxyOptions } from './proxy';
import { crossSiteRefusal } from './same-origin';
import { clearedSessionCookie, isSecureRequest, sessionToken } from './session-cookie';

/**
 * Forwards a browser's `/api/v1/*` call with the session cookie's token as
 * `Authorization: Bearer` (any `Authorization` the browser sent is dropped). Answers 403
 * problem+json without forwarding when a state-changing request is not proven same-origin
 * (`crossSiteRefusal`). A 401 from the control plane for a session token (revoked, deleted)
 * also removes the session cookie, so the next page load goes to the login page.
 */
export async function forwardWithSession(request: Request, opts: Omit<ProxyOptions, 'token'>): Promise<Response> {
  const refusal = crossSiteRefusal(request);
  if (refusal) return problem(403, 'Forbidden', `Cross-site request refused: ${refusal}.`);
  const token = sessionToken(request.headers);
  const response = await proxyToControlPlane(request, { ...opts, token });
  if (response.status === 401 && token) response.headers.append('set-cookie', clearedSessionCookie(isSecureRequest(request)));
  return response;
}
