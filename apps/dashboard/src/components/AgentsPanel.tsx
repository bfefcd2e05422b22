'use client';

import { useEffect, useState } from 'react';
import { ApiError, answer, client } from '@/lib/api';
import { formatAgo } from '@/lib/format';
import type { Agent } from '@switchboard/api-client';

const POLL_MS = 5000;

export function AgentsPanel() {
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const ac = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const res = await answer(client.GET('/api/v1/agents', { signal: ac.signal }));
        setAgents(res.body);
        setError(null);
      } catch (err) {
        if (ac.signal.aborted) return;
        setError(err instanceof ApiError ? err.message : 'Could not load agents.');
      }
      setNow(Date.now());
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      ac.abort();
      clearTimeout(timer);
    };
  }, []);

  return (
    <aside className="card agents" aria-labelledby="agents-title">
      <h2 id="agents-title">Agents</h2>
      {error && <p className="error" role="alert">{error}</p>}
      {!agents && !error && <p className="muted">Loading…</p>}
      {agents && agents.length === 0 && <p className="muted">No agent has connected yet.</p>}
      {agents && agents.length > 0 && (
        <table className="grid compact">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th className="num">Revision</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.id} data-testid="agent-row" data-agent-id={a.id}>
                <td title={`${a.hostname} · v${a.version}`}>{a.name}</td>
                <td>
                  <span className={`badge ${a.online ? 'health-up' : 'health-down'}`}>{a.online ? 'online' : 'offline'}</span>
                </td>
                <td className="num">{a.appliedRevision ?? '–'}</td>
                <td title={a.lastSeenAt ?? undefined}>{formatAgo(a.lastSeenAt, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </aside>
  );
}
