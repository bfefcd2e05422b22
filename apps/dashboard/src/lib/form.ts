import type { Problem } from '@switchboard/api-client';

/**
 * A numeric form field as an API body value: undefined when left empty (the API's default
 * applies), `convert(number)` when the text is a number (e.g. seconds → ms), else the text
 * itself, so that the control plane's validation names the field instead of the form guessing.
 */
export function numericField(text: string, convert: (n: number) => number = (n) => n): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const n = Number(trimmed);
  return Number.isFinite(n) ? convert(n) : trimmed;
}

/** Seconds typed in a form → whole milliseconds. */
export const secondsToMs = (s: number): number => Math.round(s * 1000);

/** A percentage typed in a form → the fraction the API takes (10 → 0.1). */
export const percentToFraction = (p: number): number => p / 100;

/** Drops undefined values, so that empty fields are left out of a JSON body. */
export function compactBody(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

export interface FormErrors<F extends string> {
  /** Messages of the problem's `errors[]` whose path is one of the form's fields. */
  byField: Partial<Record<F, string[]>>;
  /** The other field errors, as "path: message" lines. */
  other: string[];
}

/** Splits a problem+json's `errors[]` into the fields of a form (matched by `path`) and the rest. */
export function errorsByField<F extends string>(problem: Problem | null, fields: readonly F[]): FormErrors<F> {
  const out: FormErrors<F> = { byField: {}, other: [] };
  for (const e of problem?.errors ?? []) {
    const field = fields.find((f) => f === e.path);
    if (field) out.byField[field] = [...(out.byField[field] ?? []), e.message];
    else out.other.push(e.path ? `${e.path}: ${e.message}` : e.message);
  }
  return out;
}
