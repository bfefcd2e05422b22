'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '@/lib/api';
import { clearToken, loginPath, readToken } from '@/lib/session';
import type { Me } from '@/lib/types';

const SessionContext = createContext<Me | null>(null);

/** The signed-in user, once GET /me has answered. */
export function useMe(): Me | null {
  return useContext(SessionContext);
}

/** Gate for every page but /login: no token, no page. */
export function ConsoleShell({ children }: { children: ReactNode }) {
  const router = useRouter();
  const pathname = usePathname();
  const [ready, setReady] = useState(false);
  const [me, setMe] = useState<Me | null>(null);

  useEffect(() => {
    if (!readToken()) {
      router.replace(loginPath(window.location.pathname + window.location.search));
      return;
    }
    setReady(true);
    const ac = new AbortController();
    api<Me>('GET', '/me', undefined, { signal: ac.signal })
      .then((res) => setMe(res.body))
      .catch(() => undefined); // a 401 has already redirected; other failures leave the name blank
    return () => ac.abort();
  }, [router]);

  function signOut() {
    clearToken();
    router.replace('/login');
  }

  if (!ready) return <p className="boot">Loading…</p>;
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
        </nav>
        <div className="who">
          {me && (
            <span data-testid="me">
              {me.name} <span className="role">{me.role}</span>
            </span>
          )}
          <button type="button" className="link" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="page">{children}</main>
    </SessionContext.Provider>
  );
}
