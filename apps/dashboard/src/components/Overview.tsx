'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { usePermissions } from '@/hooks/usePermissions';
import { ApiError, answer, client } from '@/lib/api';
import { useStatsFeed } from '@/hooks/useStatsFeed';
import { tunnelsByBalancer } from '@/lib/rows';
import { AgentsPanel } from './AgentsPanel';
import { BalancerForm } from './BalancerForm';
import { BalancerList, type BalancerSummary } from './BalancerList';
import { LiveIndicator } from './Badges';

export function Overview() {
  const [balancers, setBalancers] = useState<BalancerSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { stats, status } = useStatsFeed();
  const { configure } = usePermissions();
  const [creating, setCreating] = useState(false);
  const router = useRouter();

  useEffect(() => {
    const ac = new AbortController();
    loadSummaries(ac.signal)
      .then(setBalancers)
      .catch((err: unknown) => {
        if (!ac.signal.aborted) setError(err instanceof ApiError ? err.message : 'Could not load balancers.');
      });
    return () => ac.abort();
  }, []);

  return (
    <div className="overview">
      <section>
        <div className="section-head">
          <h1>Balancers</h1>
          <LiveIndicator status={status} />
          {configure && !creating && (
            <button type="button" data-testid="new-balancer" onClick={() => setCreating(true)}>
              New balancer…
            </button>
          )}
        </div>
        {creating && <BalancerForm balancer={null} onSaved={({ result }) => router.push(`/balancers/${encodeURIComponent(result.id)}`)} onCancel={() => setCreating(false)} />}
        {error && <p className="error" role="alert">{error}</p>}
        {!balancers && !error && <p className="muted">Loading…</p>}
        {balancers && <BalancerList balancers={balancers} tunnels={tunnelsByBalancer(stats)} />}
      </section>
      <AgentsPanel />
    </div>
  );
}

async function loadSummaries(signal: AbortSignal): Promise<BalancerSummary[]> {
  const { body: balancers } = await answer(client.GET('/api/v1/balancers', { signal }));
  return Promise.all(
    balancers.map(async (balancer) => {
      try {
        const { body: members } = await answer(client.GET('/api/v1/balancers/{balancerId}/members', { params: { path: { balancerId: balancer.id } }, signal }));
        return { balancer, memberCount: members.length };
      } catch {
        return { balancer, memberCount: null };
      }
    }),
  );
}
