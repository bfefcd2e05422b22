'use client';

import { useState } from 'react';
import { ApiError, api, fieldErrors, revisionOf } from '@/lib/api';
import { formatBytes, formatCount } from '@/lib/format';
import type { MemberRowData } from '@/lib/rows';
import type { Member, MemberState } from '@/lib/types';
import { HealthBadge, StateBadge } from './Badges';
import { useMe } from './ConsoleShell';
import type { MemberChange } from './MemberTable';
import { WeightForm } from './WeightForm';

type Action = 'drain' | 'disable' | 'enable' | 'weight';

interface RowError {
  message: string;
  fields: string[];
}

export function MemberRow({ row, balancerId, onChanged }: { row: MemberRowData; balancerId: string; onChanged: (change: MemberChange) => void }) {
  const { member, state, weight, figures: f } = row;
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<RowError | null>(null);
  const readOnly = useMe()?.role === 'viewer';
  const path = `/balancers/${encodeURIComponent(balancerId)}/members/${encodeURIComponent(member.id)}`;

  async function run(action: Action, method: 'POST' | 'PATCH', url: string, body: Record<string, unknown>, summary: string): Promise<boolean> {
    setBusy(action);
    setError(null);
    try {
      const res = await api<Member>(method, url, body);
      const updated = res.body?.id === member.id ? res.body : { ...member, ...body };
      onChanged({ member: updated, revision: revisionOf(res.headers), summary });
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? { message: err.message, fields: fieldErrors(err.problem) } : { message: 'The request failed.', fields: [] });
      return false;
    } finally {
      setBusy(null);
    }
  }

  const setState = (target: MemberState, action: Action) => run(action, 'PATCH', path, { state: target }, `State set to ${target}`);
  const disabled = (already: boolean) => readOnly || busy !== null || already;

  return (
    <tr data-testid="member-row" data-member-id={member.id} data-state={state} aria-busy={busy !== null}>
      <td className="member">
        <span className="member-name">{member.name || member.url}</span>
        {member.name && <span className="member-url">{member.url}</span>}
      </td>
      <td data-testid="state">
        <StateBadge state={state} />
      </td>
      <td data-testid="health">
        <HealthBadge health={f?.health} />
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
          <button type="button" data-testid="drain" disabled={disabled(state === 'draining')} onClick={() => void run('drain', 'POST', `${path}/drain`, {}, 'Drain started')}>
            {busy === 'drain' ? 'Draining…' : 'Drain'}
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
            onSubmit={(weight) => run('weight', 'PATCH', path, { weight }, `Weight set to ${String(weight)}`)}
          />
        </div>
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
