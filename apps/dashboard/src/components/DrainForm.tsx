'use client';

import { useState, type FormEvent } from 'react';
import type { Failure } from '@/lib/api';
import { DRAIN_FIELDS, drainBody, type DrainField } from '@/lib/drain';
import { errorsByField, type FormErrors } from '@/lib/form';
import { NumberField } from './NumberField';

interface Props {
  busy: boolean;
  /** Sends POST …/drain with the body; resolves null when accepted, else the failure to show. */
  onSubmit: (body: Record<string, unknown>) => Promise<Failure | null>;
  onCancel: () => void;
}

/**
 * Inline drain form. Both fields empty: a plain drain (no new tunnels, open ones run on, as
 * Apache's balancer-manager "Drain"). With a deadline, agents leave open tunnels alone for the
 * window, then close them paced until the deadline (close 1001, like NGINX's worker_shutdown_timeout
 * but spread out). The control plane checks the values; its field errors are shown by the fields.
 */
export function DrainForm({ busy, onSubmit, onCancel }: Props) {
  const [deadline, setDeadline] = useState('');
  const [windowText, setWindowText] = useState('');
  const [failure, setFailure] = useState<{ message: string; errors: FormErrors<DrainField> } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFailure(null);
    const result = await onSubmit(drainBody(deadline, windowText));
    if (result) setFailure({ message: result.message, errors: errorsByField(result.problem, DRAIN_FIELDS) });
  }

  const errors = failure?.errors;
  return (
    <form className="inline-form drain-form" data-testid="drain-form" onSubmit={(e) => void submit(e)} noValidate>
      <NumberField testId="drain-deadline" label="Deadline (s)" placeholder="none" value={deadline} onChange={setDeadline} errors={errors?.byField.deadlineMs} disabled={busy} />
      <NumberField testId="drain-window" label="Window (s)" placeholder="0" value={windowText} onChange={setWindowText} errors={errors?.byField.windowMs} disabled={busy} />
      <div className="buttons">
        <button type="submit" data-testid="drain-submit" disabled={busy}>
          {busy ? 'Draining…' : 'Start drain'}
        </button>
        <button type="button" className="link" data-testid="drain-cancel" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      {failure && (
        <p className="error form-error" role="alert" data-testid="drain-error">
          {failure.message}
          {failure.errors.other.length > 0 && ` (${failure.errors.other.join('; ')})`}
        </p>
      )}
    </form>
  );
}
