// Browser side of the session. The API token is in an HttpOnly cookie that scripts cannot
// read (see session-cookie.ts); the browser sends it with every same-origin request.

import { loginPath } from './next-path';

/** Leaves for the login page, remembering where we were. The forwarder has already removed a refused cookie. */
export function redirectToLogin(): void {
  const here = window.location.pathname + window.location.search;
  window.location.replace(loginPath(here));
}

/**
 * Ends the session (`DELETE /session` removes the cookie) and goes to the login page.
 * Throws, staying on the page, when the dashboard did not confirm it.
 */
export async function signOut(): Promise<void> {
  const res = await fetch('/session', { method: 'DELETE', cache: 'no-store' });
  if (!res.ok) throw new Error(`sign-out answered HTTP ${res.status}`);
  window.location.replace('/login');
}
