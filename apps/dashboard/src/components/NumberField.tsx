'use client';

import { useId } from 'react';
import { FieldError } from './FieldError';

interface Props {
  /** data-testid of the input; its errors get `${testId}-error`. */
  testId: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  /** The control plane's messages for this field (problem+json `errors[]`). */
  errors?: string[];
  disabled?: boolean;
  placeholder?: string;
  /** Characters wide. */
  size?: number;
}

/** A labelled numeric input with the API's errors for it right beside it. */
export function NumberField({ testId, label, value, onChange, errors, disabled, placeholder, size = 5 }: Props) {
  const errorId = useId();
  const invalid = (errors?.length ?? 0) > 0;
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        data-testid={testId}
        inputMode="decimal"
        size={size}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
        aria-invalid={invalid}
        aria-describedby={invalid ? errorId : undefined}
      />
      <FieldError id={errorId} testId={testId} errors={errors} />
    </label>
  );
}
