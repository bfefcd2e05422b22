'use client';

import type { ConfigWrite, WriteRequest, Written } from '@/hooks/useConfigWrite';
import { ChangePreview } from './ChangePreview';

interface Props<T> {
  write: ConfigWrite<T>;
  /** The write as the form stands now; null while there is nothing to send (an edit with no change). */
  request: WriteRequest<T> | null;
  onSaved: (written: Written<T>) => void;
  onCancel: () => void;
  /** Label of the button that applies the write: "Save", "Create", "Remove member". */
  saveLabel: string;
  /** Prefix of the buttons' and messages' data-testid: `<p>-preview`, `<p>-save`, `<p>-cancel`, `<p>-error`. */
  testId: string;
  /** The failure's field errors that no field of the form shows, as "path: message" lines. */
  otherErrors?: string[];
  /** A destructive write (remove, delete): the save button says so. */
  danger?: boolean;
}

/**
 * Preview (the same write with `?dryRun=true`, its diff shown below) and Save (the write itself,
 * bound to the previewed revision), Cancel, and the control plane's message when it refuses.
 */
export function WriteControls<T>({ write, request, onSaved, onCancel, saveLabel, testId, otherErrors = [], danger }: Props<T>) {
  const { busy, change, failure } = write;

  async function save() {
    if (!request) return;
    const written = await write.save(request);
    if (written) onSaved(written);
  }

  return (
    <div className="write-controls">
      <div className="buttons">
        <button type="button" data-testid={`${testId}-preview`} disabled={busy !== null || !request} onClick={() => request && void write.preview(request)}>
          {busy === 'preview' ? 'Previewing…' : 'Preview'}
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} data-testid={`${testId}-save`} disabled={busy !== null || !request} onClick={() => void save()}>
          {busy === 'save' ? 'Saving…' : saveLabel}
        </button>
        <button type="button" className="link" data-testid={`${testId}-cancel`} disabled={busy !== null} onClick={onCancel}>
          Cancel
        </button>
        {!request && <span className="muted">Nothing changed yet.</span>}
      </div>
      {failure && (
        <div className="error form-error" role="alert" data-testid={`${testId}-error`}>
          {failure.message}
          {otherErrors.length > 0 && (
            <ul>
              {otherErrors.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {change && <ChangePreview change={change} />}
    </div>
  );
}
