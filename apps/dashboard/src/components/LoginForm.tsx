'use client';

import { createApiClient } from '@switchboard/api-client';
import { useRouter } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, parseProblem } from '@/lib/api';
import { safeNextPath } from '@/lib/next-path';

/** Where to go once signed in: the `?next=` of this page when it is a same-origin path, else `/`. */
function nextPath(): string {
  return safeNextPath(new URLSearchParams(window.location.search).get('next'));
}

/** Asks whether a session is live; unlike `client` of lib/api, a 401 here is an answer, not a reason to leave for the login page. */
const sessionProbe = createApiClient('');

export function LoginForm() {
  const router = useRouter();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Busy until the session check below has answered: no click is lost before the page is live.
  const [busy, setBusy] = useState(true);

  // SameSite=Strict keeps the session cookie off a navigation that starts on another site (a
  // link in a chat or a ticket), so a signed-in user following one lands here; this page's own
  // request does carry the cookie, and a live session goes straight on.
  useEffect(() => {
    const ac = new AbortController();
    sessionProbe
      .GET('/api/v1/me', { cache: 'no-store', signal: ac.signal })
      .then(({ response }) => {
        if (response.ok) router.replace(nextPath());
        else setBusy(false);
      })
      .catch(() => {
        if (!ac.signal.aborted) setBusy(false); // no dashboard: the form stays usable, and says so on submit
      });
    return () => ac.abort();
  }, [router]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) {
      setError('Enter an API token.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await startSession(candidate);
      router.replace(nextPath());
    } catch (err) {
      setError(loginError(err));
      setBusy(false);
    }
  }

  return (
    <form className="card login-card" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h1>Switchboard</h1>
      <p className="muted">Sign in with an API token (admin, operator or viewer).</p>
      <label htmlFor="token">API token</label>
      <input
        id="token"
        data-testid="token"
        type="password"
        autoComplete="current-password"
        spellCheck={false}
        autoFocus
        value={token}
        onChange={(e) => setToken(e.target.value)}
        aria-invalid={error !== null}
        aria-describedby={error ? 'login-error' : undefined}
      />
      {error && (
        <p id="login-error" className="error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      <button type="submit" className="primary" data-testid="login" disabled={busy}>
        {busy ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}

/** `POST /session`: the dashboard checks the token and keeps it in an HttpOnly cookie. */
async function startSession(token: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch('/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ token }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) throw new ApiError(res.status, await parseProblem(res));
}

function loginError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return 'That token was not accepted. Check it and try again.';
    if (err.status === 403) return 'That token may not use the dashboard.';
    return `Could not check the token: ${err.message}`;
  }
  return 'Could not check the token: the dashboard server did not answer.';
}
