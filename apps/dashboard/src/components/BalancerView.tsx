'use client';

import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { usePermissions } from '@/hooks/usePermissions';
import { ApiError, answer, client } from '@/lib/api';
import { applyMemberChange, awaitsDrainedAt, buildRows, hasUnknownMembers } from '@/lib/rows';
import type { Balancer, Member } from '@switchboard/api-client';
import { useStatsFeed } from '@/hooks/useStatsFeed';
import { BalancerAdmin } from './BalancerAdmin';
import { LiveIndicator } from './Badges';
import { MemberAdd } from './MemberAdd';
import { MemberTable, type MemberChange } from './MemberTable';
import { RebalancePanel } from './RebalancePanel';

/** The last write made on this page, for the note above the members. */
export interface ChangeNoteData {
  summary: string;
  subject: string;
  revision: number | null;
}

const RELOAD_THROTTLE_MS = 5000;
/** How often the member list is read again while a drain waits for its drainedAt. */
const DRAIN_POLL_MS = 3000;

export function BalancerView({ balancerId }: { balancerId: string }) {
  const [balancer, setBalancer] = useState<Balancer | null>(null);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [note, setNote] = useState<ChangeNoteData | null>(null);
  const can = usePermissions();
  const { stats, status } = useStatsFeed();
  const lastLoad = useRef(0);

  const loadMembers = useCallback(
    async (signal?: AbortSignal) => {
      lastLoad.current = Date.now();
      const res = await answer(client.GET('/api/v1/balancers/{balancerId}/members', { params: { path: { balancerId } }, signal }));
      setMembers(res.body);
    },
    [balancerId],
  );

  useEffect(() => {
    const ac = new AbortController();
    Promise.all([answer(client.GET('/api/v1/balancers/{id}', { params: { path: { id: balancerId } }, signal: ac.signal })).then((r) => setBalancer(r.body)), loadMembers(ac.signal)]).catch((err: unknown) => {
      if (ac.signal.aborted) return;
      setError(err instanceof ApiError ? { status: err.status, message: err.message } : { status: 0, message: 'Could not load the balancer.' });
    });
    return () => ac.abort();
  }, [balancerId, loadMembers]);

  // Members added elsewhere show up in the feed first: fetch the list again (not too often).
  useEffect(() => {
    if (!stats || !members || !hasUnknownMembers(balancerId, members, stats)) return;
    if (Date.now() - lastLoad.current < RELOAD_THROTTLE_MS) return;
    loadMembers().catch(() => undefined);
  }, [stats, members, balancerId, loadMembers]);

  const rows = useMemo(() => buildRows(members ?? [], stats), [members, stats]);

  // Drain progress: the live count comes from the feed, drainedAt only from the member list, so
  // read the list again while a draining member's feed count is 0 but it is not yet drained.
  const awaitingDrained = awaitsDrainedAt(rows);
  useEffect(() => {
    if (!awaitingDrained) return;
    const timer = setInterval(() => void loadMembers().catch(() => undefined), DRAIN_POLL_MS);
    return () => clearInterval(timer);
  }, [awaitingDrained, loadMembers]);

  const onChanged = useCallback((change: MemberChange) => {
    setMembers((list) => (list ? applyMemberChange(list, change.member, change.removed) : list));
    setNote({ summary: change.summary, subject: change.member.name || change.member.url, revision: change.revision });
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
      {balancer && <BalancerAdmin balancer={balancer} memberCount={members?.length ?? null} onSaved={setBalancer} onNote={setNote} />}
      {balancer && <RebalancePanel balancer={balancer} onRebalanced={setBalancer} />}
      <ChangeNote change={note} />
      {members === null ? <p className="muted">Loading members…</p> : <MemberTable rows={rows} balancerId={balancerId} onChanged={onChanged} />}
      {can.configure && <MemberAdd balancerId={balancerId} onChanged={onChanged} />}
    </div>
  );
}

function ChangeNote({ change }: { change: ChangeNoteData | null }) {
  if (!change) return null;
  return (
    <p className="note" role="status" data-testid="change-note">
      {change.summary}: <strong>{change.subject}</strong>
      {change.revision !== null && (
        <>
          {' '}
          — configuration revision <strong data-testid="revision">{change.revision}</strong>
        </>
      )}
    </p>
  );
}
