// Pure helpers of the revisions page: which two revisions to compare, its links, and what a
// failed rollback tells the operator.
import type { Problem } from '@switchboard/api-client';

/** Revisions per page of the list; "Load more" asks for the next page with `?before=`. */
export const REVISION_PAGE = 20;

/** A revision number from a `?rev=` / `?against=` query value: a plain non-negative integer, else null. */
export function revisionParam(value: string | string[] | undefined): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || !/^\d{1,9}$/.test(raw)) return null;
  return Number(raw);
}

/** The two revisions a diff shows: left the older, right the newer. */
export interface ComparedPair {
  older: number;
  newer: number;
}

/**
 * The pair to diff for revision `rev` against `against` (its predecessor when null), ordered
 * older → newer whichever way round they were given. Null when there is nothing to compare:
 * revision 0 has no predecessor, and a revision equals itself.
 */
export function comparedPair(rev: number, against: number | null): ComparedPair | null {
  const other = against ?? rev - 1;
  if (other < 0 || other === rev) return null;
  return { older: Math.min(rev, other), newer: Math.max(rev, other) };
}

/** The page's URL showing revision `rev` (against `against`, when not its predecessor). */
export function revisionsHref(rev: number, against?: number | null): string {
  const query = new URLSearchParams({ rev: String(rev) });
  if (against !== undefined && against !== null && against !== rev - 1) query.set('against', String(against));
  return `/revisions?${query.toString()}`;
}

/** The first 10 hex digits of a snapshot hash, as shown in lists. */
export function shortHash(hash: string): string {
  return hash.slice(0, 10);
}

/**
 * What a failed rollback (or its dry run) means for the operator, by HTTP status: 412 someone
 * changed the configuration after the preview, 503 the control plane's database is away, 404
 * the revision is gone, 0 no answer at all (whether it happened is unknown); otherwise the
 * problem's own words.
 */
export function rollbackFailureText(status: number, problem: Problem | null, target: number): string {
  const detail = problem?.detail || problem?.title;
  switch (status) {
    case 412:
      return `The configuration changed after this preview${detail ? ` (${detail})` : ''}. Nothing was rolled back: preview again to see what rolling back to revision ${target} changes now.`;
    case 503:
      return 'The control plane cannot reach its database right now. Nothing was rolled back: try again in a moment.';
    case 404:
      return `Revision ${target} does not exist. Nothing was rolled back.`;
    case 403:
      return 'Only admins may roll back. Nothing was rolled back.';
    case 0:
      return 'The dashboard server could not be reached: look for a new revision at the top of the list before trying again.';
    default:
      return `${detail ?? `The rollback failed with HTTP ${status}.`} Nothing was rolled back.`;
  }
}
