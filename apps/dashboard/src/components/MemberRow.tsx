'use client';

import { useState } from 'react';
import type { Written } from '@/hooks/useConfigWrite';
import { usePermissions } from '@/hooks/usePermissions';
import { answer, client, fieldErrors, writeParams, type Failure } from '@/lib/api';
import { drainClosesFrom, drainProgressText } from '@/lib/drain';
import { formatBytes, formatClock, formatCount } from '@/lib/format';
import type { MemberRowData } from '@/lib/rows';
import type { Member, MemberState } from '@switchboard/api-client';
import { useMemberWrite, type MemberAction } from '@/hooks/useMemberWrite';
import { StateBadge } from './Badges';
import { ConfirmWrite } from './ConfirmWrite';
import { DrainForm } from './DrainForm';
import { MemberForm } from './MemberForm';
import { MemberHealth } from './MemberHealth';
import type { MemberChange } from './MemberTable';
import { WeightForm } from './WeightForm';

/** Columns of a member row before its actions column (MemberTable's headers). */
const MEMBER_COLUMNS = 11;

interface RowError {
  message: string;
  fields: string[];
}

/**
 * One member: its live figures and, for the roles that may, its actions: drain, disable,
 * enable and weight (operators and admins), Edit… (admins: every field; operators: state and
 * weight) and Remove… (admins), the last two in a panel row below it with a dry-run preview.
 */
export function MemberRow({ row, balancerId, onChanged }: { row: MemberRowData; balancerId: string; onChanged: (change: MemberChange) => void }) {
  const { member, state, weight, figures: f } = row;
  const { busy, send } = useMemberWrite(member, onChanged);
  const [error, setError] = useState<RowError | null>(null);
  const [drainOpen, setDrainOpen] = useState(false);
  const [panel, setPanel] = useState<'edit' | 'remove' | null>(null);
  const can = usePermissions();
  const readOnly = !can.operate;

  async function run(action: MemberAction, body: Record<string, unknown>, summary: string): Promise<boolean> {
    setError(null);
    const failure = await send(action, body, summary);
    if (failure) setError({ message: failure.message, fields: fieldErrors(failure.problem) });
    return failure === null;
  }

  async function drain(body: Record<string, unknown>): Promise<Failure | null> {
    const failure = await send('drain', body, body.deadlineMs === undefined ? 'Drain started' : 'Drain with deadline started');
    if (!failure) setDrainOpen(false);
    return failure;
  }

  const setState = (target: MemberState, action: MemberAction) => run(action, { state: target }, `State set to ${target}`);
  const disabled = (already: boolean) => readOnly || busy !== null || already;

  function edited({ result, revision }: Written<Member>) {
    setPanel(null);
    onChanged({ member: result, revision, summary: 'Member saved' });
  }

  function removed({ revision }: Written<unknown>) {
    setPanel(null);
    onChanged({ member, revision, summary: 'Member removed', removed: true });
  }

  return (
    <>
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
      <td className="num" data-testid="lbset">
        {member.lbset}
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
      {can.operate && (
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
            <button type="button" data-testid="edit-member" aria-expanded={panel === 'edit'} disabled={busy !== null} onClick={() => setPanel(panel === 'edit' ? null : 'edit')}>
              Edit…
            </button>
            {can.configure && (
              <button type="button" data-testid="remove-member" aria-expanded={panel === 'remove'} disabled={busy !== null} onClick={() => setPanel(panel === 'remove' ? null : 'remove')}>
                Remove…
              </button>
            )}
          </div>
          {drainOpen && <DrainForm busy={busy === 'drain'} onSubmit={drain} onCancel={() => setDrainOpen(false)} />}
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
      )}
    </tr>
    {panel && (
      <tr className="member-panel" data-testid="member-panel" data-member-id={member.id}>
        <td colSpan={MEMBER_COLUMNS + 1}>
          {panel === 'edit' ? (
            <MemberForm balancerId={balancerId} member={member} allowed={can.memberFields} onSaved={edited} onCancel={() => setPanel(null)} />
          ) : (
            <ConfirmWrite request={(mode) => answer(client.DELETE('/api/v1/balancers/{balancerId}/members/{id}', { params: { path: { balancerId, id: member.id }, ...writeParams(mode) } }))} confirmLabel="Remove member" testId="remove-member" onDone={removed} onCancel={() => setPanel(null)}>
              <RemoveWarning member={member} open={f?.openTunnels} />
            </ConfirmWrite>
          )}
        </td>
      </tr>
    )}
    </>
  );
}

/** What removing a member does, naming it and its open tunnels (which the agents leave running). */
function RemoveWarning({ member, open }: { member: Member; open: number | undefined }) {
  const n = open ?? 0;
  return (
    <p>
      Remove member <strong>{member.name || member.url}</strong> {member.name && <code>{member.url}</code>} from this balancer? It has{' '}
      <strong data-testid="remove-member-tunnels">{n === 0 ? 'no open tunnel' : `${n} open ${n === 1 ? 'tunnel' : 'tunnels'}`}</strong>
      {n > 0 ? ': agents leave them running until they end, and send it nothing new. To close them first, drain it with a deadline.' : '.'}
    </p>
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
