import Link from 'next/link';
import { formatClock } from '@/lib/format';
import type { RevisionSummary } from '@switchboard/api-client';
import { revisionsHref, shortHash } from '@/lib/revisions';

interface Props {
  revisions: RevisionSummary[];
  /** The revision whose diff is shown. */
  selected: number | null;
  /** Older revisions exist beyond the list's end. */
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}

/** Revisions newest first: number (a link to its diff), time, author, reason (the write's audit action), short hash. */
export function RevisionList({ revisions, selected, hasMore, loadingMore, onLoadMore }: Props) {
  const latest = revisions[0]?.number;
  return (
    <section aria-labelledby="revision-list-title">
      <h2 id="revision-list-title">History</h2>
      <div className="table-wrap">
        <table className="grid compact revision-list">
          <thead>
            <tr>
              <th className="num">Revision</th>
              <th>Time</th>
              <th>Author</th>
              <th>Reason</th>
              <th>Hash</th>
            </tr>
          </thead>
          <tbody>
            {revisions.map((r) => (
              <tr key={r.number} data-testid="revision-row" data-revision={r.number} aria-current={r.number === selected ? 'true' : undefined} className={r.number === selected ? 'selected' : undefined}>
                <td className="num">
                  <Link href={revisionsHref(r.number)} data-testid="revision-link">
                    {r.number}
                  </Link>
                  {r.number === latest && <span className="badge state-active current">current</span>}
                </td>
                <td title={r.createdAt}>{formatClock(Date.parse(r.createdAt))}</td>
                <td data-testid="revision-author">{r.author}</td>
                <td>
                  <code data-testid="revision-reason">{r.reason}</code>
                </td>
                <td>
                  <code title={r.hash} data-testid="revision-hash">
                    {shortHash(r.hash)}
                  </code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {hasMore && (
        <button type="button" className="load-more" data-testid="load-more" disabled={loadingMore} onClick={onLoadMore}>
          {loadingMore ? 'Loading…' : 'Load older revisions'}
        </button>
      )}
    </section>
  );
}
