'use client';

import type { AuditEvent, AuditPage } from '@switchboard/api-client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { answer, client, failureOf, type Failure } from '@/lib/api';
import { auditQuery, filtersFromSearch, searchFromFilters, type AuditFilters } from '@/lib/audit';

export interface AuditLog {
  /** Events loaded so far, newest first; null until the first page arrives. */
  items: AuditEvent[] | null;
  /** True while older events exist that are not loaded yet. */
  hasOlder: boolean;
  loading: boolean;
  failure: Failure | null;
  /** Appends the next older page (GET /audit with the last page's cursor). */
  loadOlder: () => void;
}

/**
 * The audit events matching `filters`, newest first, a page at a time. New filters start over
 * from the newest page; answers for filters no longer shown are dropped (their request aborted).
 */
export function useAuditLog(filters: AuditFilters): AuditLog {
  const key = searchFromFilters(filters);
  const [page, setPage] = useState<{ items: AuditEvent[]; nextCursor: string | null } | null>(null);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState<Failure | null>(null);
  const current = useRef<AbortController | null>(null);

  const fetchPage = useCallback(
    async (cursor: string | null, ac: AbortController, merge: (page: AuditPage) => void) => {
      setLoading(true);
      setFailure(null);
      try {
        const res = await answer(client.GET('/api/v1/audit', { params: { query: auditQuery(filtersFromSearch(new URLSearchParams(key)), cursor) }, signal: ac.signal }));
        if (!ac.signal.aborted) merge(res.body);
      } catch (err) {
        if (!ac.signal.aborted) setFailure(failureOf(err));
      } finally {
        if (!ac.signal.aborted) setLoading(false);
      }
    },
    [key],
  );

  useEffect(() => {
    const ac = new AbortController();
    current.current = ac;
    setPage(null);
    void fetchPage(null, ac, (first) => setPage(first));
    return () => ac.abort();
  }, [fetchPage]);

  const loadOlder = useCallback(() => {
    const ac = current.current;
    if (!ac || !page?.nextCursor || loading) return;
    void fetchPage(page.nextCursor, ac, (older) => setPage((shown) => ({ items: [...(shown?.items ?? []), ...older.items], nextCursor: older.nextCursor })));
  }, [fetchPage, page, loading]);

  return { items: page?.items ?? null, hasOlder: Boolean(page?.nextCursor), loading, failure, loadOlder };
}
