/**
 * Edit forms described as data: each field has the dotted path the API uses for it (in request
 * bodies and in problem+json `errors[].path`), so one table gives the inputs, the body and where
 * each validation message goes. Values are kept as typed (strings; booleans for flags), so that
 * nothing the user typed is lost when the control plane refuses it.
 */

interface FieldBase<P extends string> {
  /** Dotted API path, e.g. `healthCheck.timeoutMs`. */
  path: P;
  label: string;
  /** A short hint shown by the field (unit, what 0 means). */
  hint?: string;
}

export type FieldSpec<P extends string = string> =
  | (FieldBase<P> & { kind: 'number' })
  | (FieldBase<P> & { kind: 'text'; /** Empty → null (the API's "none"); else empty stays "". */ nullable?: boolean })
  | (FieldBase<P> & { kind: 'choice'; options: readonly string[] })
  | (FieldBase<P> & { kind: 'flag' });

export type FormValue = string | boolean;
export type FormValues<P extends string> = Record<P, FormValue>;

/** The top-level body key of a path (`healthCheck.timeoutMs` → `healthCheck`): the unit a PATCH sends whole. */
export const groupOf = (path: string): string => path.split('.', 1)[0];

/**
 * The JSON value of one field. Numbers: the number when the text is one, else the text (empty →
 * null), so that the control plane names the field rather than the form guessing. Text: trimmed,
 * empty → null when the field is nullable. Choices as chosen; flags as booleans.
 */
export function bodyValue(spec: FieldSpec, raw: FormValue): unknown {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  switch (spec.kind) {
    case 'flag':
      return raw === true;
    case 'number':
      if (text === '') return null;
      return Number.isFinite(Number(text)) ? Number(text) : text;
    case 'text':
      return text === '' && spec.nullable ? null : text;
    case 'choice':
      return text;
  }
}

/** Form values read from an API object by each field's path: numbers as text, null/absent as "", booleans kept. */
export function valuesOf<P extends string>(specs: readonly FieldSpec<P>[], source: unknown): FormValues<P> {
  const values = {} as FormValues<P>;
  for (const spec of specs) {
    const v = readPath(source, spec.path);
    values[spec.path] = spec.kind === 'flag' ? v === true : v === null || v === undefined ? '' : String(v);
  }
  return values;
}

/**
 * The request body of a form: each field's bodyValue at its path, for the fields `include`
 * accepts. With `initial` (an edit), only the groups (top-level keys) in which some field
 * differs from it are sent, whole, so that a PATCH changes what the user changed and nothing else.
 */
export function bodyOf<P extends string>(specs: readonly FieldSpec<P>[], values: FormValues<P>, opts: { initial?: FormValues<P>; include?: (path: P) => boolean } = {}): Record<string, unknown> {
  const { initial, include = () => true } = opts;
  const changed = initial ? new Set(specs.filter((s) => values[s.path] !== initial[s.path]).map((s) => groupOf(s.path))) : null;
  const body: Record<string, unknown> = {};
  for (const spec of specs) {
    if (!include(spec.path) || (changed && !changed.has(groupOf(spec.path)))) continue;
    writePath(body, spec.path, bodyValue(spec, values[spec.path]));
  }
  return body;
}

function readPath(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), source);
}

function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  let node = target;
  for (const key of keys) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[last] = value;
}
