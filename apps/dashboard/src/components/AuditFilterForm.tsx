'use client';

import { useId, useState, type FormEvent } from 'react';
import { isoToLocalInput, localInputToIso, type AuditFilters } from '@/lib/audit';
import type { FormErrors } from '@/lib/form';

export type AuditFilterField = keyof AuditFilters;
export const AUDIT_FILTER_FIELDS: readonly AuditFilterField[] = ['actor', 'action', 'target', 'since', 'until'];

/** Action prefixes offered as suggestions; any prefix may be typed. */
const ACTION_SUGGESTIONS = ['balancer.', 'member.', 'route.', 'token.', 'agent-token.', 'revision.'];

interface Props {
  /** The filters shown now (from the page URL). */
  filters: AuditFilters;
  /** The API's field errors for the filters shown, if it refused them. */
  errors?: FormErrors<AuditFilterField>['byField'];
  onApply: (filters: AuditFilters) => void;
}

/**
 * Filters of the Audit page: actor (exact), action and target (prefixes), since/until (the
 * browser's local time, sent as ISO UTC). Applying puts them in the page URL.
 */
export function AuditFilterForm({ filters, errors, onApply }: Props) {
  const [actor, setActor] = useState(filters.actor ?? '');
  const [action, setAction] = useState(filters.action ?? '');
  const [target, setTarget] = useState(filters.target ?? '');
  const [since, setSince] = useState(isoToLocalInput(filters.since));
  const [until, setUntil] = useState(isoToLocalInput(filters.until));
  const suggestions = useId();

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply({ actor, action, target, since: localInputToIso(since), until: localInputToIso(until) });
  }

  return (
    <form className="inline-form audit-filters" data-testid="audit-filters" onSubmit={submit} noValidate>
      <FilterField testId="audit-actor" label="Actor" value={actor} onChange={setActor} errors={errors?.actor} placeholder="token name" />
      <FilterField testId="audit-action" label="Action starts with" value={action} onChange={setAction} errors={errors?.action} placeholder="member." list={suggestions} />
      <datalist id={suggestions}>
        {ACTION_SUGGESTIONS.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
      <FilterField testId="audit-target" label="Target starts with" value={target} onChange={setTarget} errors={errors?.target} placeholder="balancer:<id>" />
      <FilterField testId="audit-since" label="Since" type="datetime-local" value={since} onChange={setSince} errors={errors?.since} />
      <FilterField testId="audit-until" label="Until" type="datetime-local" value={until} onChange={setUntil} errors={errors?.until} />
      <div className="buttons">
        <button type="submit" className="primary" data-testid="audit-apply">
          Apply
        </button>
        <button type="button" className="link" data-testid="audit-clear" onClick={() => onApply({})}>
          Clear
        </button>
      </div>
    </form>
  );
}

interface FieldProps {
  testId: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  errors?: string[];
  type?: 'text' | 'datetime-local';
  placeholder?: string;
  list?: string;
}

/** A labelled filter input with the API's errors for it beside it. */
function FilterField({ testId, label, value, onChange, errors, type = 'text', placeholder, list }: FieldProps) {
  const errorId = useId();
  const invalid = (errors?.length ?? 0) > 0;
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        data-testid={testId}
        type={type}
        step={type === 'datetime-local' ? 1 : undefined}
        value={value}
        placeholder={placeholder}
        list={list}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid}
        aria-describedby={invalid ? errorId : undefined}
      />
      {invalid && (
        <span className="field-error" id={errorId} data-testid={`${testId}-error`} role="alert">
          {errors?.join('; ')}
        </span>
      )}
    </label>
  );
}
