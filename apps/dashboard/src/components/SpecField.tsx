'use client';

import { useId } from 'react';
import type { FieldSpec, FormValue } from '@/lib/field-spec';
import { FieldError } from './FieldError';

interface Props {
  spec: FieldSpec;
  value: FormValue;
  onChange: (value: FormValue) => void;
  /** The control plane's messages for this field's path. */
  errors?: string[];
  disabled?: boolean;
  /** data-testid of the control (default `field-<path>`); its errors get `<testId>-error`. */
  testId?: string;
}

/** One field of an edit form, drawn from its spec (number, text, choice or flag), with the API's errors for its path beside it. */
export function SpecField({ spec, value, onChange, errors, disabled, testId = `field-${spec.path}` }: Props) {
  const errorId = useId();
  const invalid = (errors?.length ?? 0) > 0;
  const a11y = { 'data-testid': testId, disabled, 'aria-invalid': invalid, 'aria-describedby': invalid ? errorId : undefined };
  const text = typeof value === 'string' ? value : '';

  if (spec.kind === 'flag') {
    return (
      <label className="field flag">
        <span>
          <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} {...a11y} /> {spec.label}
        </span>
        <FieldError id={errorId} testId={testId} errors={errors} />
      </label>
    );
  }
  return (
    <label className="field">
      <span className="field-label">
        {spec.label}
        {spec.hint && <span className="field-hint"> ({spec.hint})</span>}
      </span>
      {spec.kind === 'choice' ? (
        <select value={text} onChange={(e) => onChange(e.target.value)} {...a11y}>
          {spec.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input value={text} inputMode={spec.kind === 'number' ? 'numeric' : undefined} spellCheck={false} onChange={(e) => onChange(e.target.value)} {...a11y} />
      )}
      <FieldError id={errorId} testId={testId} errors={errors} />
    </label>
  );
}
