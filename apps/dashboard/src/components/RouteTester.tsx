'use client';

import type { RouteExplanation } from '@switchboard/protocol';
import { matchText, type TesterAnswers, type TesterInput } from '@/lib/route-tester';
import { CheckField, TextField } from './FormFields';

interface Props {
  input: TesterInput;
  onInput: (input: TesterInput) => void;
  answers: TesterAnswers;
  /** The revision the saved routes come from (null before the first). */
  revision: number | null;
  /** What the draft is, when a route is being edited: "new route" or "route being edited". */
  draftLabel: string | null;
}

/**
 * "Which route matches this URL?": the URL as a client sends it, answered by explainRoute, the
 * agents' own normalising and matching code, on the saved routes (the latest revision) and, while
 * a route is being edited, on the routes with the draft in place.
 */
export function RouteTester({ input, onInput, answers, revision, draftLabel }: Props) {
  return (
    <section className="card route-tester" data-testid="route-tester" aria-labelledby="route-tester-title">
      <h2 id="route-tester-title">Which route matches this URL?</h2>
      <div className="inline-form">
        <TextField testId="tester-url" label="URL or path (as sent: nothing is decoded)" value={input.url} onChange={(url) => onInput({ ...input, url })} placeholder="http://chat.example.com/chat/ws?room=1" size={44} inputMode="url" />
        <TextField testId="tester-host" label="Host (for a bare path)" value={input.host} onChange={(host) => onInput({ ...input, host })} placeholder="none" size={20} />
        <CheckField testId="tester-upgrade" label="WebSocket upgrade (ws:// and wss:// always)" checked={input.upgrade} onChange={(upgrade) => onInput({ ...input, upgrade })} />
      </div>
      {answers.inputError && (
        <p className="error" role="alert" data-testid="tester-input-error">
          {answers.inputError}
        </p>
      )}
      {answers.saved && <Answer testId="tester-saved" title={`Saved routes (revision ${revision ?? 'none'}, what agents are sent)`} explained={answers.saved} />}
      {answers.draft && draftLabel && 'explained' in answers.draft && <Answer testId="tester-draft" title={`With the ${draftLabel} (not saved)`} explained={answers.draft.explained} />}
      {answers.draft && draftLabel && 'errors' in answers.draft && (
        <p className="muted" data-testid="tester-draft-invalid">
          The {draftLabel} is not tested until it is valid: {answers.draft.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}
        </p>
      )}
    </section>
  );
}

/** One answer: the route that takes the request (host and match), its balancer and the forwarded path; or the agent's 404/400. */
function Answer({ testId, title, explained }: { testId: string; title: string; explained: RouteExplanation }) {
  return (
    <div className={`tester-answer tester-${explained.outcome}`} data-testid={testId} data-outcome={explained.outcome}>
      <span className="field-label">{title}</span>
      {explained.outcome === 'routed' ? (
        <p>
          Route{' '}
          <code data-testid={`${testId}-route`} data-route-id={explained.route.id}>
            {matchText(explained.route)}
            {explained.route.host ? ` on ${explained.route.host}` : ''}
          </code>{' '}
          → balancer <strong data-testid={`${testId}-balancer`}>{explained.balancer.name}</strong>, forwarded as <code data-testid={`${testId}-path`}>{explained.forwardedPath}</code>
        </p>
      ) : (
        <p data-testid={`${testId}-refusal`}>
          {explained.status} {explained.reason}
        </p>
      )}
    </div>
  );
}
