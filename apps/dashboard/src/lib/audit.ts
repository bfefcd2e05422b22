/**
 * The Audit page's filters, kept in the page URL (`/audit?action=member.&since=…`) so that a
 * filtered view can be shared and reloaded, and turned into `GET /api/v1/audit` queries.
 * Times are ISO 8601 UTC in the URL and the API, local wall-clock time in the form.
 */
export interface AuditFilters {
  actor?: string;
  action?: string;
  target?: string;
  /** ISO 8601 UTC. */
  since?: string;
  /** ISO 8601 UTC. */
  until?: string;
}

/** The filter keys, in the order they appear in URLs. */
export const AUDIT_FILTER_KEYS = ['actor', 'action', 'target', 'since', 'until'] as const satisfies readonly (keyof AuditFilters)[];

/** Filters named by a page URL's query; other parameters and empty values are left out. */
export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const value = search.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** The query string (no `?`) of a page URL showing `filters`; "" when none is set. */
export function searchFromFilters(filters: AuditFilters): string {
  const search = new URLSearchParams();
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filters[key]?.trim();
    if (value) search.set(key, value);
  }
  return search.toString();
}

/** Query of `GET /api/v1/audit` for the page of events matching `filters` (trimmed, empty ones left out), older than `cursor` when given. */
export function auditQuery(filters: AuditFilters, cursor: string | null = null): AuditFilters & { cursor?: string } {
  const query: AuditFilters & { cursor?: string } = filtersFromSearch(new URLSearchParams(searchFromFilters(filters)));
  if (cursor) query.cursor = cursor;
  return query;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A `datetime-local` input's value (`2026-12-01T14:05`, seconds optional), read in the browser's
 * time zone, as ISO 8601 UTC; undefined when empty or not such a value.
 */
export function localInputToIso(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value.trim())) return undefined;
  const date = new Date(value.trim()); // a date-time without an offset is local time
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** An ISO time as a `datetime-local` value in the browser's zone (seconds only when not 0); "" when not a time. */
export function isoToLocalInput(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms);
  const minutes = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return d.getSeconds() === 0 ? minutes : `${minutes}:${pad2(d.getSeconds())}`;
}

/** An event's `before` or `after` as readable text: indented JSON, or "(none)" for null. */
export function snapshotText(value: unknown): string {
  return value === null || value === undefined ? '(none)' : JSON.stringify(value, null, 2);
}

/** Where the Revisions page shows revision `n`. */
export function revisionHref(n: number): string {
  return `/revisions?rev=${n}`;
}
