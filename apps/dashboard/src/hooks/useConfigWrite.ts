'use client';

import { useCallback, useState } from 'react';
import type { ConfigChange } from '@switchboard/api-client';
import { ApiError, failureOf, resourceOf, revisionOf, type Failure, type WriteAnswer, type WriteMode } from '@/lib/api';
import { isDryRunChange } from '@/lib/change';

/**
 * A configuration write as a form builds it: one typed client call, sent in `mode` — the same
 * write is previewed (`dryRun`, answering a ConfigChange) and saved (answering the resource T).
 */
export type WriteRequest<T> = (mode: WriteMode) => Promise<WriteAnswer<T>>;

/** A saved write: the resource the control plane answered and the revision it made. */
export interface Written<T> {
  result: T;
  revision: number | null;
}

const NOT_A_DRY_RUN = 'The control plane answered without a dry run (is it older than 0.5.0?): the change may have been written. Reload the page to see.';
const STALE = 'The configuration changed after this preview, so nothing was saved. Preview again to see what Save would do now.';

/**
 * Preview-then-save for one form. `preview(req)` sends the write with `?dryRun=true` and keeps
 * the ConfigChange it answers in `change` (400s land in `failure`, their `errors[]` naming fields).
 * `save(req)` sends it for real; after a preview it carries `If-Match: <previewed revision>`, so
 * what is saved is what was previewed or nothing (412 → `failure`, `change` dropped).
 * `discardPreview()` drops a preview that no longer matches the form.
 */
export function useConfigWrite<T>() {
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [change, setChange] = useState<ConfigChange | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function preview(req: WriteRequest<T>): Promise<void> {
    setBusy('preview');
    setFailure(null);
    setChange(null);
    try {
      const res = await req({ dryRun: true });
      if (isDryRunChange(res.body)) setChange(res.body);
      else setFailure({ message: NOT_A_DRY_RUN, problem: null });
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      setBusy(null);
    }
  }

  async function save(req: WriteRequest<T>): Promise<Written<T> | null> {
    setBusy('save');
    setFailure(null);
    try {
      const res = await req(change ? { ifMatch: change.revision } : {});
      setChange(null);
      return { result: resourceOf(res), revision: revisionOf(res.headers) };
    } catch (err) {
      const stale = change !== null && err instanceof ApiError && err.status === 412;
      setFailure(stale ? { message: STALE, problem: null } : failureOf(err));
      if (stale) setChange(null);
      return null;
    } finally {
      setBusy(null);
    }
  }

  const discardPreview = useCallback(() => setChange(null), []);

  return { busy, change, failure, preview, save, discardPreview };
}

export type ConfigWrite<T> = ReturnType<typeof useConfigWrite<T>>;
