'use client';

import { useEffect, useState } from 'react';
import type { ConfigDiff } from '@switchboard/api-client';
import { ApiError, answer, client } from '@/lib/api';
import type { ComparedPair } from '@/lib/revisions';

type DiffState = { pair: ComparedPair; diff: ConfigDiff; error: null } | { pair: ComparedPair; diff: null; error: string };

/** `GET /revisions/{older}/diff/{newer}` for `pair`; null while it loads (or without a pair). */
export function useRevisionDiff(pair: ComparedPair | null): DiffState | null {
  const [state, setState] = useState<DiffState | null>(null);
  const older = pair?.older;
  const newer = pair?.newer;

  useEffect(() => {
    if (older === undefined || newer === undefined) return;
    const ac = new AbortController();
    const asked = { older, newer };
    answer(client.GET('/api/v1/revisions/{a}/diff/{b}', { params: { path: { a: older, b: newer } }, signal: ac.signal }))
      .then((res) => setState({ pair: asked, diff: res.body, error: null }))
      .catch((err: unknown) => {
        if (ac.signal.aborted) return;
        const message = err instanceof ApiError && err.status === 404 ? `Revision ${older} or ${newer} does not exist.` : err instanceof ApiError ? err.message : 'Could not load the diff.';
        setState({ pair: asked, diff: null, error: message });
      });
    return () => ac.abort();
  }, [older, newer]);

  // An answer for another pair (the selection moved on) is not shown.
  return state && state.pair.older === older && state.pair.newer === newer ? state : null;
}
