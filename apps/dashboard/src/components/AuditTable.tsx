import type { AuditEvent } from '@switchboard/api-client';
import Link from 'next/link';
import { revisionHref, snapshotText } from '@/lib/audit';
import { formatClock } from '@/lib/format';

/** Audit events, newest first: time, actor, action, target, revision, and the entity before and after. */
export function AuditTable({ events }: { events: AuditEvent[] }) {
  if (events.length === 0) return <p className="muted" data-testid="audit-empty">No audit events match these filters.</p>;
  return (
    <table className="grid audit">
      <thead>
        <tr>
          <th>Time</th>
          <th>Actor</th>
          <th>Action</th>
          <th>Target</th>
          <th className="num">Revision</th>
          <th>Change</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <AuditRow key={event.id} event={event} />
        ))}
      </tbody>
    </table>
  );
}

function AuditRow({ event }: { event: AuditEvent }) {
  return (
    <tr data-testid="audit-row" data-event-id={event.id}>
      <td>
        <time dateTime={event.createdAt} title={event.createdAt}>
          {formatClock(Date.parse(event.createdAt))}
        </time>
      </td>
      <td data-testid="audit-actor-cell">{event.actor}</td>
      <td data-testid="audit-action-cell">
        <code>{event.action}</code>
      </td>
      <td>
        <code>{event.target}</code>
      </td>
      <td className="num">
        {event.revision === null ? (
          '–'
        ) : (
          <Link href={revisionHref(event.revision)} prefetch={false} data-testid="audit-revision">
            {event.revision}
          </Link>
        )}
      </td>
      <td>
        <BeforeAfter event={event} />
      </td>
    </tr>
  );
}

/** The entity before and after the change, as JSON text (React escapes it: never HTML). */
function BeforeAfter({ event }: { event: AuditEvent }) {
  return (
    <details className="audit-change" data-testid="audit-change">
      <summary>before / after</summary>
      <div className="audit-snapshots">
        <figure>
          <figcaption>Before</figcaption>
          <pre data-testid="audit-before">{snapshotText(event.before)}</pre>
        </figure>
        <figure>
          <figcaption>After</figcaption>
          <pre data-testid="audit-after">{snapshotText(event.after)}</pre>
        </figure>
      </div>
    </details>
  );
}
