'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { answer, client } from '@/lib/api';
import { signOut } from '@/lib/session';
import type { Me } from '@switchboard/api-client';

const SessionContext = createContext<Me | null>(null);

/** The signed-in user, once GET /me has answered. */
export function useMe(): Me | null {
  return useContext(SessionContext);
}

/**
 * Frame of every page but /login. proxy.ts sends visitors without a session cookie to the
 * login page; a cookie the control plane refuses is found out by the first API call (401 →
 * login page).
 */
export function ConsoleShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const [me, setMe] = useState<Me | null>(null);
  const [signOutError, setSignOutError] = useState<string | null>(null);

  useEffect(() => {
    const ac = new AbortController();
    answer(client.GET('/api/v1/me', { signal: ac.signal }))
      .then((res) => setMe(res.body))
      .catch(() => undefined); // a 401 has already redirected; other failures leave the name blank
    return () => ac.abort();
  }, []);

  function onSignOut() {
    setSignOutError(null);
    signOut().catch(() => setSignOutError('Sign-out failed: the dashboard did not answer. Try again.'));
  }

  return (
    <SessionContext.Provider value={me}>
      <header className="topbar">
        <Link href="/" className="brand">
          Switchboard
        </Link>
        <nav>
          <Link href="/" aria-current={pathname === '/' ? 'page' : undefined}>
            Balancers
          </Link>
          <Link href="/audit" aria-current={pathname === '/audit' ? 'page' : undefined}>Audit</Link>
          <Link href="/revisions" aria-current={pathname === '/revisions' ? 'page' : undefined}>
            Revisions
          </Link>
          <Link href="/routes" aria-current={pathname === '/routes' ? 'page' : undefined}>Routes</Link>
        </nav>
        <div className="who">
          {me && (
            <span data-testid="me">
              {me.name} <span className="role">{me.role}</span>
            </span>
          )}
          <button type="button" className="link" data-testid="sign-out" onClick={onSignOut}>
            Sign out
          </button>
          {signOutError && (
            <span className="error" role="alert">
              {signOutError}
            </span>
          )}
        </div>
      </header>
      <main className="page">{children}</main>
    </SessionContext.Provider>
  );
}
