'use client';

import type { Route } from '@switchboard/api-client';
import type { NamedBalancer } from '@switchboard/protocol';
import { useConfigWrite, type WriteRequest, type Written } from '@/hooks/useConfigWrite';
import { answer, client, formBody, writeParams } from '@/lib/api';
import { errorsByField } from '@/lib/form';
import { draftChanged, ROUTE_FIELDS, routeBody, type RouteDraft } from '@/lib/route-form';
import { matchText } from '@/lib/route-tester';
import { NumberField } from './NumberField';
import { CheckField, SelectField, TextField } from './FormFields';
import { WriteControls } from './WriteControls';

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
  /** The edited route's fields as saved (null for a new route): an edit that changes none offers no Save. */
  saved: RouteDraft | null;
  draft: RouteDraft;
  onDraft: (draft: RouteDraft) => void;
  balancers: readonly NamedBalancer[];
  /** Called once the API accepted the write, with a summary and the revision it made. */
  onSaved: (summary: string, revision: number | null) => void;
  onCancel: () => void;
}

/**
 * Creates or edits a route through POST/PATCH /api/v1/routes (admins only: the page offers it to
 * no one else). Preview sends the write as a dry run and shows its diff; Save sends it bound to
 * the previewed revision (If-Match). The control plane checks every field; its errors are shown
 * next to the fields their paths name, and the draft stays as typed until it is saved or cancelled.
 */
export function RouteEditor({ routeId, saved, draft, onDraft, balancers, onSaved, onCancel }: Props) {
  const write = useConfigWrite<Route>();
  const errors = errorsByField(write.failure?.problem ?? null, ROUTE_FIELDS);
  const busy = write.busy !== null;
  const set = <K extends keyof RouteDraft>(key: K) => (value: RouteDraft[K]) => {
    onDraft({ ...draft, [key]: value });
    write.discardPreview();
  };

  const request = ((): WriteRequest<Route> | null => {
    const body = routeBody(draft);
    if (routeId === null) return (mode) => answer(client.POST('/api/v1/routes', { params: writeParams(mode), body: formBody(body) }));
    if (saved && !draftChanged(draft, saved)) return null;
    return (mode) => answer(client.PATCH('/api/v1/routes/{id}', { params: { path: { id: routeId }, ...writeParams(mode) }, body: formBody(body) }));
  })();

  function written({ result, revision }: Written<Route>) {
    onSaved(`Route ${matchText(result)} ${routeId === null ? 'created' : 'saved'}`, revision);
  }

  const byField = errors.byField;
  const balancerOptions = balancers.map((b) => [b.id, b.name] as const);
  return (
    <form className="card inline-form route-editor" data-testid="route-editor" onSubmit={(e) => e.preventDefault()} noValidate aria-label={routeId === null ? 'New route' : 'Edit route'}>
      <h2 className="form-title">{routeId === null ? 'New route' : 'Edit route'}</h2>
      <SelectField testId="route-balancer" label="Balancer" value={draft.balancerId} onChange={set('balancerId')} options={balancerOptions} errors={byField.balancerId} disabled={busy} />
      <NumberField testId="route-priority" label="Priority (higher first)" value={draft.priority} onChange={set('priority')} errors={byField.priority} disabled={busy} />
      <TextField testId="route-host" label="Host (*.example.com; empty = any)" value={draft.host} onChange={set('host')} errors={byField.host} disabled={busy} placeholder="any" size={22} />
      <SelectField testId="route-match-type" label="Match" value={draft.matchType} onChange={set('matchType')} options={MATCH_TYPES} errors={byField['match.type']} disabled={busy} />
      <TextField testId="route-match-path" label={draft.matchType === 'regex' ? 'Regex (RE2 syntax)' : 'Path'} value={draft.matchPath} onChange={set('matchPath')} errors={byField['match.path']} disabled={busy} size={26} />
      <SelectField testId="route-websocket" label="WebSocket" value={draft.websocket} onChange={set('websocket')} options={WEBSOCKET_RULES} errors={byField.websocket} disabled={busy} />
      <CheckField testId="route-strip-prefix" label="Strip prefix" checked={draft.stripPrefix} onChange={set('stripPrefix')} errors={byField.stripPrefix} disabled={busy} />
      <CheckField testId="route-enabled" label="Enabled" checked={draft.enabled} onChange={set('enabled')} errors={byField.enabled} disabled={busy} />
      <WriteControls write={write} request={request} onSaved={written} onCancel={onCancel} saveLabel={routeId === null ? 'Create route' : 'Save route'} testId="route" otherErrors={errors.other} />
    </form>
  );
}
