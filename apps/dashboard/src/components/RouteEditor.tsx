'use client';

import { useState, type FormEvent } from 'react';
import type { NamedBalancer } from '@switchboard/protocol';
import { answer, client, failureOf, formBody, resourceOf, revisionOf } from '@/lib/api';
import { errorsByField, type FormErrors } from '@/lib/form';
import { ROUTE_FIELDS, routeBody, type RouteDraft, type RouteField } from '@/lib/route-form';
import { matchText } from '@/lib/route-tester';
import { NumberField } from './NumberField';
import { CheckField, SelectField, TextField } from './FormFields';

const MATCH_TYPES = [
  ['prefix', 'prefix (the path and below, at a /)'],
  ['exact', 'exact'],
  ['regex', 'regex (RE2)'],
] as const;
const WEBSOCKET_RULES = [
  ['any', 'any request'],
  ['only', 'WebSocket upgrades only'],
  ['never', 'plain HTTP only'],
] as const;

interface Props {
  /** The edited route's id, or null for a new route. */
  routeId: string | null;
  draft: RouteDraft;
  onDraft: (draft: RouteDraft) => void;
  balancers: readonly NamedBalancer[];
  /** Called once the API accepted the write, with a summary and the revision it made. */
  onSaved: (summary: string, revision: number | null) => void;
  onCancel: () => void;
}

/**
 * Creates or edits a route through POST/PATCH /api/v1/routes (admins only: the page offers it to
 * no one else). The control plane checks every field; its errors are shown next to the fields
 * their paths name, and the draft stays as typed until it is saved or cancelled.
 */
export function RouteEditor({ routeId, draft, onDraft, balancers, onSaved, onCancel }: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; errors: FormErrors<RouteField> } | null>(null);
  const set = <K extends keyof RouteDraft>(key: K) => (value: RouteDraft[K]) => onDraft({ ...draft, [key]: value });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const body = routeBody(draft);
      const res = await answer(routeId === null ? client.POST('/api/v1/routes', { body: formBody(body) }) : client.PATCH('/api/v1/routes/{id}', { params: { path: { id: routeId } }, body: formBody(body) }));
      onSaved(`Route ${matchText(resourceOf(res))} ${routeId === null ? 'created' : 'saved'}`, revisionOf(res.headers));
    } catch (err) {
      const f = failureOf(err);
      setFailure({ message: f.message, errors: errorsByField(f.problem, ROUTE_FIELDS) });
    } finally {
      setBusy(false);
    }
  }

  const errors = failure?.errors.byField;
  const balancerOptions = balancers.map((b) => [b.id, b.name] as const);
  return (
    <form className="card inline-form route-editor" data-testid="route-editor" onSubmit={(e) => void submit(e)} noValidate aria-label={routeId === null ? 'New route' : 'Edit route'}>
      <h2 className="form-title">{routeId === null ? 'New route' : 'Edit route'}</h2>
      <SelectField testId="route-balancer" label="Balancer" value={draft.balancerId} onChange={set('balancerId')} options={balancerOptions} errors={errors?.balancerId} disabled={busy} />
      <NumberField testId="route-priority" label="Priority (higher first)" value={draft.priority} onChange={set('priority')} errors={errors?.priority} disabled={busy} />
      <TextField testId="route-host" label="Host (*.example.com; empty = any)" value={draft.host} onChange={set('host')} errors={errors?.host} disabled={busy} placeholder="any" size={22} />
      <SelectField testId="route-match-type" label="Match" value={draft.matchType} onChange={set('matchType')} options={MATCH_TYPES} errors={errors?.['match.type']} disabled={busy} />
      <TextField testId="route-match-path" label={draft.matchType === 'regex' ? 'Regex (RE2 syntax)' : 'Path'} value={draft.matchPath} onChange={set('matchPath')} errors={errors?.['match.path']} disabled={busy} size={26} />
      <SelectField testId="route-websocket" label="WebSocket" value={draft.websocket} onChange={set('websocket')} options={WEBSOCKET_RULES} errors={errors?.websocket} disabled={busy} />
      <CheckField testId="route-strip-prefix" label="Strip prefix" checked={draft.stripPrefix} onChange={set('stripPrefix')} errors={errors?.stripPrefix} disabled={busy} />
      <CheckField testId="route-enabled" label="Enabled" checked={draft.enabled} onChange={set('enabled')} errors={errors?.enabled} disabled={busy} />
      <div className="buttons">
        <button type="submit" className="primary" data-testid="route-save" disabled={busy}>
          {busy ? 'Saving…' : routeId === null ? 'Create route' : 'Save route'}
        </button>
        <button type="button" className="link" data-testid="route-cancel" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
      {failure && (
        <p className="error form-error" role="alert" data-testid="route-error">
          {failure.message}
          {failure.errors.other.length > 0 && ` (${failure.errors.other.join('; ')})`}
        </p>
      )}
    </form>
  );
}
