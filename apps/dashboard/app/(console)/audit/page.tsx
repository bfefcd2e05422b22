import { Suspense } from 'react';
import { AuditView } from '@/components/AuditView';

export default function AuditPage() {
  // AuditView reads the URL's query (useSearchParams), which Next requires inside a Suspense boundary.
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <AuditView />
    </Suspense>
  );
}
