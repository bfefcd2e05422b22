'use client';

import { useId, type ReactNode } from 'react';
import { FieldError } from './FieldError';

/** What every labelled field takes: the data-testid of its control (its errors get `${testId}-error`), the label and the API's messages for it. */
interface FieldProps {
  testId: string;
  label: string;
  /** The control plane's messages for this field (problem+json `errors[]`). */
  errors?: readonly string[];
  disabled?: boolean;
}

/**
 * A label around one control with the API's errors for it right beside it; `control` gets the
 * ids that tie the message to it (aria-invalid, aria-describedby).
 */
function Labelled({ testId, label, errors, className = 'field', control }: Omit<FieldProps, 'disabled'> & { className?: string; control: (aria: { 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const errorId = useId();
  const invalid = (errors?.length ?? 0) > 0;
  return (
    <label className={className}>
      <span className="field-label">{label}</span>
      {control({ 'aria-invalid': invalid, 'aria-describedby': invalid ? errorId : undefined })}
      <FieldError id={errorId} testId={testId} errors={errors} />
    </label>
  );
}

/** A labelled text input (numeric keyboard with `inputMode="decimal"`). */
export function TextField({ value, onChange, placeholder, size, inputMode, ...field }: FieldProps & { value: string; onChange: (text: string) => void; placeholder?: string; size?: number; inputMode?: 'text' | 'decimal' | 'url' }) {
  return (
    <Labelled
      {...field}
      control={(aria) => (
        <input data-testid={field.testId} inputMode={inputMode} size={size} value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} disabled={field.disabled} {...aria} />
      )}
    />
  );
}

/** A labelled select of fixed options (value → label). */
export function SelectField<V extends string>({ value, onChange, options, ...field }: FieldProps & { value: V; onChange: (value: V) => void; options: readonly (readonly [V, string])[] }) {
  return (
    <Labelled
      {...field}
      control={(aria) => (
        <select data-testid={field.testId} value={value} onChange={(e) => onChange(e.target.value as V)} disabled={field.disabled} {...aria}>
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** A labelled checkbox. */
export function CheckField({ checked, onChange, ...field }: FieldProps & { checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <Labelled
      {...field}
      className="field check-field"
      control={(aria) => <input type="checkbox" data-testid={field.testId} checked={checked} onChange={(e) => onChange(e.target.checked)} disabled={field.disabled} {...aria} />}
    />
  );
}
