'use client';

import { useEffect, useState } from 'react';
import { answer, client } from '@/lib/api';
import { newerSnapshot } from '@/lib/rows';
import { redirectToLogin } from '@/lib/session';
import { runStatsStream, type StreamStatus } from '@/lib/stats-stream';
import type { Stats } from '@switchboard/api-client';

/** The latest stats snapshot: one GET for a quick first paint, then the SSE feed. */
export function useStatsFeed(): { stats: Stats | null; status: StreamStatus } {
  const [stats, setStats] = useState<Stats | null>(null);
  const [status, setStatus] = useState<StreamStatus>('connecting');

  useEffect(() => {
    const ac = new AbortController();
    const accept = (s: Stats) => setStats((current) => newerSnapshot(current, s));
    answer(client.GET('/api/v1/stats', { signal: ac.signal }))
      .then((res) => accept(res.body))
      .catch(() => undefined); // the feed below retries on its own
    void runStatsStream({ signal: ac.signal, onStats: accept, onStatus: setStatus, onUnauthorized: redirectToLogin });
    return () => ac.abort();
  }, []);

  return { stats, status };
}
