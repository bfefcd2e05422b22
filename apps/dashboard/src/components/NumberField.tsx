'use client';

import { TextField } from './FormFields';

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
export function NumberField({ size = 5, ...props }: Props) {
  return <TextField {...props} size={size} inputMode="decimal" />;
}
