'use client';

import type { Balancer } from '@switchboard/api-client';
import { useState, type FormEvent } from 'react';
import { usePermissions } from '@/hooks/usePermissions';
import { answer, client, failureOf, formBody, resourceOf, revisionOf } from '@/lib/api';
import { errorsByField, type FormErrors } from '@/lib/form';
import { REBALANCE_FIELDS, rebalanceBody, rebalanceText, type RebalanceField } from '@/lib/settings';
import { NumberField } from './NumberField';

/**
 * Asks agents to even out long-lived tunnels after a scale-out: each closes tunnels on members
 * above their fair share by more than the tolerance (close 1012), at most `closes/s` per agent.
 * Operators and admins only (others see when the last rebalance was asked for, and nothing to press).
 */
export function RebalancePanel({ balancer, onRebalanced }: { balancer: Balancer; onRebalanced: (balancer: Balancer) => void }) {
  if (!usePermissions().operate) {
    return (
      <p className="muted">
        Last rebalance: <span data-testid="last-rebalance">{rebalanceText(balancer.rebalance)}</span>
      </p>
    );
  }
  return <RebalanceForm balancer={balancer} onRebalanced={onRebalanced} />;
}

function RebalanceForm({ balancer, onRebalanced }: { balancer: Balancer; onRebalanced: (balancer: Balancer) => void }) {
  const [tolerance, setTolerance] = useState('10');
  const [closes, setCloses] = useState('10');
  const [busy, setBusy] = useState(false);
  const [revision, setRevision] = useState<number | null>(null);
  const [failure, setFailure] = useState<{ message: string; errors: FormErrors<RebalanceField> } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const res = await answer(client.POST('/api/v1/balancers/{id}/rebalance', { params: { path: { id: balancer.id } }, body: formBody(rebalanceBody(tolerance, closes)) }));
      setRevision(revisionOf(res.headers));
      onRebalanced(resourceOf(res));
    } catch (err) {
      const f = failureOf(err);
      setFailure({ message: f.message, errors: errorsByField(f.problem, REBALANCE_FIELDS) });
    } finally {
      setBusy(false);
    }
  }

  const errors = failure?.errors;
  const disabled = busy;
  return (
    <form className="card inline-form rebalance" data-testid="rebalance-form" onSubmit={(e) => void submit(e)} noValidate>
      <NumberField testId="rebalance-tolerance" label="Tolerance (0–1000 %)" value={tolerance} onChange={setTolerance} errors={errors?.byField.tolerance} disabled={disabled} size={4} />
      <NumberField testId="rebalance-rate" label="Closes/s per agent" value={closes} onChange={setCloses} errors={errors?.byField.closesPerSecond} disabled={disabled} size={5} />
      <button type="submit" data-testid="rebalance" disabled={disabled} title="Close tunnels above fair share (close 1012) so that clients reconnect evenly">
        {busy ? 'Rebalancing…' : 'Rebalance'}
      </button>
      <span className="muted">
        Last rebalance: <span data-testid="last-rebalance">{rebalanceText(balancer.rebalance)}</span>
        {revision !== null && (
          <>
            {' '}
            — configuration revision <strong data-testid="rebalance-revision">{revision}</strong>
          </>
        )}
      </span>
      {failure && (
        <p className="error form-error" role="alert" data-testid="rebalance-error">
          {failure.message}
          {failure.errors.other.length > 0 && ` (${failure.errors.other.join('; ')})`}
        </p>
      )}
    </form>
  );
}
