'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConfigChange } from '@switchboard/api-client';
import { ApiError, answer, client, writeParams } from '@/lib/api';
import { rollbackFailureText } from '@/lib/revisions';
import { RevisionDiff } from './RevisionDiff';

interface Props {
  /** The revision to roll back to. */
  target: number;
  /** The rollback was written: the new revision and its diff. */
  onRolledBack: (change: ConfigChange) => void;
  onClose: () => void;
}

type Phase =
  | { kind: 'previewing' }
  | { kind: 'preview'; preview: ConfigChange }
  | { kind: 'applying'; preview: ConfigChange }
  | { kind: 'failed'; status: number; message: string };

/**
 * Confirmation of a rollback to `target` (admins only). Opens with a dry run
 * (`POST /revisions/{target}/rollback?dryRun=true`) and shows the diff it would apply, current →
 * target; "Roll back" then sends the rollback with `If-Match` naming the revision previewed, so a
 * change made by someone else meanwhile gets 412 and nothing is written. Failures are shown in
 * the dialog, which stays open to preview again or cancel.
 */
export function RollbackDialog({ target, onRolledBack, onClose }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'previewing' });

  const preview = useCallback(
    async (signal?: AbortSignal) => {
      setPhase({ kind: 'previewing' });
      try {
        const res = await answer(client.POST('/api/v1/revisions/{number}/rollback', { params: { path: { number: target }, ...writeParams({ dryRun: true }) }, signal }));
        setPhase({ kind: 'preview', preview: res.body });
      } catch (err) {
        if (!signal?.aborted) setPhase(failed(err, target));
      }
    },
    [target],
  );

  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
  }, []);

  useEffect(() => {
    const ac = new AbortController();
    void preview(ac.signal);
    return () => ac.abort();
  }, [preview]);

  async function apply(previewed: ConfigChange) {
    setPhase({ kind: 'applying', preview: previewed });
    try {
      const res = await answer(client.POST('/api/v1/revisions/{number}/rollback', { params: { path: { number: target }, ...writeParams({ ifMatch: previewed.revision }) } }));
      onRolledBack(res.body);
    } catch (err) {
      setPhase(failed(err, target));
    }
  }

  // After a failure the preview may be stale (412): it is not shown again until previewed anew.
  const shown = phase.kind === 'preview' || phase.kind === 'applying' ? phase.preview : null;
  const nothingToDo = shown !== null && shown.diff.changes.length === 0;
  return (
    <dialog
      ref={ref}
      className="modal"
      data-testid="rollback-dialog"
      aria-labelledby="rollback-title"
      onCancel={(e) => {
        if (phase.kind === 'applying') e.preventDefault(); // the answer decides what happened
      }}
      onClose={onClose}
    >
      <h2 id="rollback-title">Roll back to revision {target}?</h2>
      {phase.kind === 'previewing' && <p className="muted">Computing what the rollback would change (dry run)…</p>}
      {shown && (
        <>
          <p data-testid="rollback-summary">
            {nothingToDo
              ? `The current configuration (revision ${shown.revision}) already equals revision ${target}: nothing to roll back.`
              : `This writes a new revision whose configuration equals revision ${target}. It changes the current configuration (revision ${shown.revision}) as follows:`}
          </p>
          {!nothingToDo && <RevisionDiff diff={shown.diff} leftLabel={`Revision ${shown.revision} (current)`} rightLabel={`After the rollback (= revision ${target})`} />}
        </>
      )}
      {phase.kind === 'failed' && (
        <p className="error" role="alert" data-testid="rollback-error">
          {phase.message}
        </p>
      )}
      <div className="dialog-buttons">
        {phase.kind === 'failed' && phase.status !== 403 && (
          <button type="button" data-testid="rollback-preview-again" onClick={() => void preview()}>
            Preview again
          </button>
        )}
        {shown && !nothingToDo && (
          <button type="button" className="primary" data-testid="rollback-confirm" disabled={phase.kind === 'applying'} onClick={() => void apply(shown)}>
            {phase.kind === 'applying' ? 'Rolling back…' : `Roll back to revision ${target}`}
          </button>
        )}
        <button type="button" data-testid="rollback-cancel" disabled={phase.kind === 'applying'} onClick={() => ref.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}

function failed(err: unknown, target: number): Phase {
  const status = err instanceof ApiError ? err.status : 0;
  const problem = err instanceof ApiError ? err.problem : null;
  return { kind: 'failed', status, message: rollbackFailureText(status, problem, target) };
}
