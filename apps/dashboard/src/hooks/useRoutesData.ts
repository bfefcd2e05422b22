'use client';

import { useCallback, useEffect, useState } from 'react';
import type { Route, SnapshotConfig } from '@switchboard/api-client';
import type { NamedBalancer } from '@switchboard/protocol';
import { ApiError, answer, client } from '@/lib/api';

/** What the routes page shows: the routes (GET /routes), the balancers' names, and the latest revision agents are sent. */
export interface RoutesData {
  routes: Route[];
  balancers: NamedBalancer[];
  /** The latest revision's configuration, which the tester runs; number null before the first revision. */
  revision: { number: number | null; config: SnapshotConfig };
}

const EMPTY_CONFIG: SnapshotConfig = { balancers: [], routes: [] };

/** Revision `number`'s configuration, or the latest one's when number is null (GET /revisions?limit=1). */
async function readRevision(number: number | null, signal?: AbortSignal): Promise<RoutesData['revision']> {
  let wanted = number;
  if (wanted === null) {
    const { body: latest } = await answer(client.GET('/api/v1/revisions', { params: { query: { limit: 1 } }, signal }));
    if (latest.length === 0) return { number: null, config: EMPTY_CONFIG };
    wanted = latest[0].number;
  }
  const { body } = await answer(client.GET('/api/v1/revisions/{number}', { params: { path: { number: wanted } }, signal }));
  return { number: body.number, config: body.config };
}

async function readAll(revision: number | null, signal?: AbortSignal): Promise<RoutesData> {
  const [routes, balancers, snapshot] = await Promise.all([
    answer(client.GET('/api/v1/routes', { signal })),
    answer(client.GET('/api/v1/balancers', { signal })),
    readRevision(revision, signal),
  ]);
  return { routes: routes.body, balancers: balancers.body.map(({ id, name }) => ({ id, name })), revision: snapshot };
}

/**
 * Loads the routes page's data; `reload(revision)` reads it again after a write (with the
 * revision its `Switchboard-Revision` named, else the latest).
 */
export function useRoutesData(): { data: RoutesData | null; error: string | null; reload: (revision: number | null) => Promise<void> } {
  const [data, setData] = useState<RoutesData | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (revision: number | null, signal?: AbortSignal) => {
    try {
      setData(await readAll(revision, signal));
      setError(null);
    } catch (err) {
      if (signal?.aborted) return;
      setError(err instanceof ApiError ? err.message : 'Could not load the routes.');
    }
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    void load(null, ac.signal);
    return () => ac.abort();
  }, [load]);

  return { data, error, reload: useCallback((revision: number | null) => load(revision), [load]) };
}
