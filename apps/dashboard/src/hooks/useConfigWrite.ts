'use client';

import { useCallback, useState } from 'react';
import { ApiError, api, failureOf, revisionOf, type Failure } from '@/lib/api';
import type { ConfigChange } from '@switchboard/protocol';
import { dryRunPath, isDryRunChange } from '@/lib/change';

/** A configuration write as the forms send it; the same request is previewed (`?dryRun=true`) and saved. */
export interface WriteRequest {
  method: 'POST' | 'PATCH' | 'DELETE';
  /** After /api/v1, e.g. `/balancers/b1/members`. */
  path: string;
  body?: Record<string, unknown>;
}

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

  async function preview(req: WriteRequest): Promise<void> {
    setBusy('preview');
    setFailure(null);
    setChange(null);
    try {
      const res = await api<unknown>(req.method, dryRunPath(req.path), req.body);
      if (isDryRunChange(res.body)) setChange(res.body);
      else setFailure({ message: NOT_A_DRY_RUN, problem: null });
    } catch (err) {
      setFailure(failureOf(err));
    } finally {
      setBusy(null);
    }
  }

  async function save(req: WriteRequest): Promise<Written<T> | null> {
    setBusy('save');
    setFailure(null);
    try {
      const headers = change ? { 'If-Match': String(change.revision) } : undefined;
      const res = await api<T>(req.method, req.path, req.body, { headers });
      setChange(null);
      return { result: res.body, revision: revisionOf(res.headers) };
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
