'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api } from '@/lib/api';
import { buildRows, hasUnknownMembers } from '@/lib/rows';
import type { Balancer, Member } from '@/lib/types';
import { useStatsFeed } from '@/hooks/useStatsFeed';
import { LiveIndicator } from './Badges';
import { MemberTable, type MemberChange } from './MemberTable';

const RELOAD_THROTTLE_MS = 5000;

export function BalancerView({ balancerId }: { balancerId: string }) {
  const [balancer, setBalancer] = useState<Balancer | null>(null);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [lastChange, setLastChange] = useState<MemberChange | null>(null);
  const { stats, status } = useStatsFeed();
  const lastLoad = useRef(0);
  const base = `/balancers/${encodeURIComponent(balancerId)}`;

  const loadMembers = useCallback(
    async (signal?: AbortSignal) => {
      lastLoad.current = Date.now();
      const res = await api<Member[]>('GET', `${base}/members`, undefined, { signal });
      setMembers(res.body);
    },
    [base],
  );

  useEffect(() => {
    const ac = new AbortController();
    Promise.all([api<Balancer>('GET', base, undefined, { signal: ac.signal }).then((r) => setBalancer(r.body)), loadMembers(ac.signal)]).catch((err: unknown) => {
      if (ac.signal.aborted) return;
      setError(err instanceof ApiError ? { status: err.status, message: err.message } : { status: 0, message: 'Could not load the balancer.' });
    });
    return () => ac.abort();
  }, [base, loadMembers]);

  // Members added elsewhere show up in the feed first: fetch the list again (not too often).
  useEffect(() => {
    if (!stats || !members || !hasUnknownMembers(balancerId, members, stats)) return;
    if (Date.now() - lastLoad.current < RELOAD_THROTTLE_MS) return;
    loadMembers().catch(() => undefined);
  }, [stats, members, balancerId, loadMembers]);

  const rows = useMemo(() => buildRows(members ?? [], stats), [members, stats]);

  const onChanged = useCallback((change: MemberChange) => {
    setMembers((list) => list?.map((m) => (m.id === change.member.id ? change.member : m)) ?? list);
    setLastChange(change);
  }, []);

  if (error) {
    return (
      <div>
        <p className="error" role="alert">
          {error.status === 404 ? 'This balancer does not exist (any more).' : error.message}
        </p>
        <Link href="/">← All balancers</Link>
      </div>
    );
  }

  return (
    <div>
      <div className="crumbs">
        <Link href="/">Balancers</Link> / <span>{balancer?.name ?? '…'}</span>
      </div>
      <div className="section-head">
        <h1 data-testid="balancer-name">{balancer?.name ?? 'Loading…'}</h1>
        <LiveIndicator status={status} />
      </div>
      {balancer && <BalancerFacts balancer={balancer} />}
      <ChangeNote change={lastChange} />
      {members === null ? <p className="muted">Loading members…</p> : <MemberTable rows={rows} balancerId={balancerId} onChanged={onChanged} />}
    </div>
  );
}

function BalancerFacts({ balancer }: { balancer: Balancer }) {
  return (
    <dl className="facts">
      <dt>lbmethod</dt>
      <dd>
        <code>{balancer.lbMethod}</code>
      </dd>
      {balancer.timeouts?.connectMs !== undefined && (
        <>
          <dt>connect timeout</dt>
          <dd>{balancer.timeouts.connectMs} ms</dd>
        </>
      )}
      {balancer.timeouts?.tunnelIdleMs !== undefined && (
        <>
          <dt>tunnel idle</dt>
          <dd>{balancer.timeouts.tunnelIdleMs} ms</dd>
        </>
      )}
      {balancer.failover?.retries !== undefined && (
        <>
          <dt>retries</dt>
          <dd>{balancer.failover.retries}</dd>
        </>
      )}
    </dl>
  );
}

function ChangeNote({ change }: { change: MemberChange | null }) {
  if (!change) return null;
  const who = change.member.name || change.member.url;
  return (
    <p className="note" role="status">
      {change.summary} for <strong>{who}</strong>
      {change.revision !== null && (
        <>
          {' '}
          — configuration revision <strong data-testid="revision">{change.revision}</strong>
        </>
      )}
    </p>
  );
}
