'use client';

import { useState } from 'react';
import { fieldErrors, type Failure } from '@/lib/api';
import { drainClosesFrom, drainProgressText } from '@/lib/drain';
import { formatBytes, formatClock, formatCount } from '@/lib/format';
import type { MemberRowData } from '@/lib/rows';
import type { Member, MemberState } from '@/lib/types';
import { useMemberWrite, type MemberAction } from '@/hooks/useMemberWrite';
import { StateBadge } from './Badges';
import { useMe } from './ConsoleShell';
import { DrainForm } from './DrainForm';
import { MemberHealth } from './MemberHealth';
import type { MemberChange } from './MemberTable';
import { WeightForm } from './WeightForm';

interface RowError {
  message: string;
  fields: string[];
}

export function MemberRow({ row, balancerId, onChanged }: { row: MemberRowData; balancerId: string; onChanged: (change: MemberChange) => void }) {
  const { member, state, weight, figures: f } = row;
  const { busy, send } = useMemberWrite(member, onChanged);
  const [error, setError] = useState<RowError | null>(null);
  const [drainOpen, setDrainOpen] = useState(false);
  const readOnly = useMe()?.role === 'viewer';
  const path = `/balancers/${encodeURIComponent(balancerId)}/members/${encodeURIComponent(member.id)}`;

  async function run(action: MemberAction, body: Record<string, unknown>, summary: string): Promise<boolean> {
    setError(null);
    const failure = await send(action, 'PATCH', path, body, summary);
    if (failure) setError({ message: failure.message, fields: fieldErrors(failure.problem) });
    return failure === null;
  }

  async function drain(body: Record<string, unknown>): Promise<Failure | null> {
    const failure = await send('drain', 'POST', `${path}/drain`, body, body.deadlineMs === undefined ? 'Drain started' : 'Drain with deadline started');
    if (!failure) setDrainOpen(false);
    return failure;
  }

  const setState = (target: MemberState, action: MemberAction) => run(action, { state: target }, `State set to ${target}`);
  const disabled = (already: boolean) => readOnly || busy !== null || already;

  return (
    <tr data-testid="member-row" data-member-id={member.id} data-state={state} aria-busy={busy !== null}>
      <td className="member">
        <span className="member-name">{member.name || member.url}</span>
        {member.name && <span className="member-url">{member.url}</span>}
      </td>
      <td>
        <span data-testid="state">
          <StateBadge state={state} />
        </span>
        {state === 'draining' && <DrainStatus member={member} open={f?.openTunnels} />}
      </td>
      <td data-testid="health">
        <MemberHealth figures={f} />
      </td>
      <td className="num" data-testid="weight">
        {weight}
      </td>
      <td className="num" data-testid="open-tunnels">
        {formatCount(f?.openTunnels)}
      </td>
      <td className="num" data-testid="inflight">
        {formatCount(f?.inflightRequests)}
      </td>
      <td className="num" data-testid="elected">
        {formatCount(f?.elected)}
      </td>
      <td className="num" data-testid="bytes-in" title={f ? `${f.bytesIn} bytes` : undefined}>
        {f ? formatBytes(f.bytesIn) : '–'}
      </td>
      <td className="num" data-testid="bytes-out" title={f ? `${f.bytesOut} bytes` : undefined}>
        {f ? formatBytes(f.bytesOut) : '–'}
      </td>
      <td className={`num${f && f.failures > 0 ? ' warn' : ''}`} data-testid="failures">
        {formatCount(f?.failures)}
      </td>
      <td className="actions">
        <div className="buttons">
          <button type="button" data-testid="drain" aria-expanded={drainOpen} disabled={disabled(state === 'draining') || drainOpen} onClick={() => setDrainOpen(true)}>
            Drain…
          </button>
          <button type="button" data-testid="disable" disabled={disabled(state === 'disabled')} onClick={() => void setState('disabled', 'disable')}>
            {busy === 'disable' ? 'Disabling…' : 'Disable'}
          </button>
          <button type="button" data-testid="enable" disabled={disabled(state === 'active')} onClick={() => void setState('active', 'enable')}>
            {busy === 'enable' ? 'Enabling…' : 'Enable'}
          </button>
          <WeightForm
            key={weight}
            current={weight}
            busy={busy === 'weight'}
            disabled={readOnly || (busy !== null && busy !== 'weight')}
            onSubmit={(weight) => run('weight', { weight }, `Weight set to ${String(weight)}`)}
          />
        </div>
        {drainOpen && !readOnly && <DrainForm busy={busy === 'drain'} onSubmit={drain} onCancel={() => setDrainOpen(false)} />}
        {error && (
          <div className="error row-error" role="alert" data-testid="row-error">
            {error.message}
            {error.fields.length > 0 && (
              <ul>
                {error.fields.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
          </div>
        )}
      </td>
    </tr>
  );
}

/** "N tunnels left, closing by HH:MM:SS" or "drained at …" under the state of a draining member. */
function DrainStatus({ member, open }: { member: Member; open: number | undefined }) {
  const closesFrom = drainClosesFrom(member.drain);
  const title = closesFrom === null ? 'No deadline: open tunnels run on until they end' : `Agents start closing open tunnels at ${formatClock(closesFrom)} (close 1001)`;
  return (
    <div className="drain-progress" data-testid="drain-progress" title={title}>
      {drainProgressText(member.drain, open)}
    </div>
  );
}
