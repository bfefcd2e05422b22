'use client';

import { useCallback, useEffect, useState } from 'react';
import type { RevisionSummary } from '@switchboard/api-client';
import { ApiError, answer, client } from '@/lib/api';
import { REVISION_PAGE } from '@/lib/revisions';

/**
 * The revision list, newest first, a page at a time: `reload` reads the first page again (after
 * a rollback), `loadMore` appends the page before the last revision shown (`?before=`).
 */
export function useRevisionList() {
  const [revisions, setRevisions] = useState<RevisionSummary[] | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(async (before: number | null, signal?: AbortSignal) => {
    const query = before === null ? { limit: REVISION_PAGE } : { limit: REVISION_PAGE, before };
    const { body } = await answer(client.GET('/api/v1/revisions', { params: { query }, signal }));
    setHasMore(body.length === REVISION_PAGE && body[body.length - 1]!.number > 0);
    setError(null);
    return body;
  }, []);

  const reload = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setRevisions(await fetchPage(null, signal));
      } catch (err) {
        if (!signal?.aborted) setError(messageOf(err));
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    const ac = new AbortController();
    void reload(ac.signal);
    return () => ac.abort();
  }, [reload]);

  const loadMore = useCallback(async () => {
    const last = revisions?.at(-1);
    if (!last) return;
    setLoadingMore(true);
    try {
      const page = await fetchPage(last.number);
      setRevisions((list) => [...(list ?? []), ...page]);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoadingMore(false);
    }
  }, [revisions, fetchPage]);

  return { revisions, hasMore, loadingMore, error, reload, loadMore };
}

function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : 'Could not load the revisions.';
}
