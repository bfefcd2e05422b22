'use client';

import { useState, type FormEvent } from 'react';

interface Props {
  current: number;
  busy: boolean;
  disabled: boolean;
  /** Resolves true when the change was accepted. */
  onSubmit: (weight: number | string) => Promise<boolean>;
}

/** Weight input + Set. Validation is left to the control plane, whose problem details are shown. */
export function WeightForm({ current, busy, disabled, onSubmit }: Props) {
  const [draft, setDraft] = useState(String(current));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = draft.trim();
    const n = Number(text);
    void onSubmit(text !== '' && Number.isFinite(n) ? n : text);
  }

  return (
    <form className="weight-form" onSubmit={submit} noValidate>
      <input
        data-testid="weight-input"
        aria-label="Weight"
        inputMode="numeric"
        size={4}
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        disabled={disabled}
      />
      <button type="submit" data-testid="set-weight" disabled={disabled || busy}>
        {busy ? 'Setting…' : 'Set'}
      </button>
    </form>
  );
}
