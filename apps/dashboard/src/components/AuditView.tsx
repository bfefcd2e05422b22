'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';
import { useAuditLog } from '@/hooks/useAuditLog';
import { filtersFromSearch, searchFromFilters, type AuditFilters } from '@/lib/audit';
import { errorsByField } from '@/lib/form';
import { AUDIT_FILTER_FIELDS, AuditFilterForm } from './AuditFilterForm';
import { AuditTable } from './AuditTable';

/**
 * The Audit page: every recorded change, newest first, filtered by what the page URL's query
 * names (so a filtered view can be shared and survives a reload), with older pages on demand.
 */
export function AuditView() {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(search.toString())), [search]);
  const key = searchFromFilters(filters);
  const log = useAuditLog(filters);
  const errors = errorsByField(log.failure?.problem ?? null, AUDIT_FILTER_FIELDS);

  function apply(next: AuditFilters) {
    const query = searchFromFilters(next);
    router.push(query ? `${pathname}?${query}` : pathname);
  }

  return (
    <div>
      <div className="section-head">
        <h1>Audit log</h1>
      </div>
      {/* keyed by the URL's filters: going back or forward in history shows that view's values */}
      <AuditFilterForm key={key} filters={filters} errors={errors.byField} onApply={apply} />
      {log.failure && (
        <p className="error" role="alert" data-testid="audit-error">
          {log.failure.message}
          {errors.other.length > 0 && ` (${errors.other.join('; ')})`}
        </p>
      )}
      {log.items === null ? log.loading && <p className="muted">Loading…</p> : <AuditTable events={log.items} />}
      {log.hasOlder && (
        <p>
          <button type="button" data-testid="audit-load-older" onClick={log.loadOlder} disabled={log.loading}>
            {log.loading ? 'Loading…' : 'Load older'}
          </button>
        </p>
      )}
    </div>
  );
}
