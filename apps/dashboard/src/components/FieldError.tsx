/** The control plane's messages for one field (problem+json `errors[]`), right beside it; nothing when there are none. */
export function FieldError({ id, testId, errors }: { id: string; testId: string; errors: readonly string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <span className="field-error" id={id} data-testid={`${testId}-error`} role="alert">
      {errors.join('; ')}
    </span>
  );
}
