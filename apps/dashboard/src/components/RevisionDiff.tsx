import { useMemo } from 'react';
import { OP_MARKER, changeSubject, fieldText } from '@/lib/config-changes';
import type { ConfigDiff } from '@switchboard/api-client';
import { sideBySide, type DiffCell, type DiffRow } from '@/lib/side-by-side';

interface Props {
  diff: ConfigDiff;
  /** Headings of the two columns, e.g. "Revision 4" and "Revision 5". */
  leftLabel: string;
  rightLabel: string;
}

/**
 * A ConfigDiff for people: the list of balancers, members and routes added, removed or changed
 * (field by field), then the two YAML exports side by side, left the older, right the newer,
 * every line level with its counterpart. Added, removed and changed lines carry a +/− marker
 * besides their colour.
 */
export function RevisionDiff({ diff, leftLabel, rightLabel }: Props) {
  const rows = useMemo(() => sideBySide(diff.text), [diff.text]);
  if (diff.changes.length === 0 && rows.length === 0) {
    return (
      <p className="muted" data-testid="diff-empty">
        No differences: both hold the same configuration.
      </p>
    );
  }
  return (
    <div className="revision-diff">
      <ChangeList changes={diff.changes} />
      {rows.length > 0 ? (
        <SideBySide rows={rows} leftLabel={leftLabel} rightLabel={rightLabel} />
      ) : (
        <p className="muted" data-testid="diff-same-yaml">
          The two YAML exports are the same: only ids differ (an entity removed and added again).
        </p>
      )}
    </div>
  );
}

function ChangeList({ changes }: { changes: ConfigDiff['changes'] }) {
  return (
    <ul className="change-list" data-testid="change-list" aria-label="Changes">
      {changes.map((change, i) => (
        <li key={i} data-testid="change-item" data-kind={change.kind} data-op={change.op}>
          <span className={`badge op-${change.op}`}>
            <span aria-hidden="true">{OP_MARKER[change.op]} </span>
            {change.op}
          </span>{' '}
          <span className="change-subject">{changeSubject(change)}</span>
          {change.fields.length > 0 && (
            <ul className="change-fields">
              {change.fields.map((field) => (
                <li key={field.path} data-testid="change-field">
                  <code>{fieldText(change.op, field)}</code>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

function SideBySide({ rows, leftLabel, rightLabel }: { rows: DiffRow[]; leftLabel: string; rightLabel: string }) {
  return (
    <div className="table-wrap">
      <table className="diff" data-testid="side-by-side">
        <colgroup>
          <col className="diff-ln" />
          <col className="diff-mark" />
          <col className="diff-code" />
          <col className="diff-ln" />
          <col className="diff-mark" />
          <col className="diff-code" />
        </colgroup>
        <thead>
          <tr>
            <th colSpan={3} data-testid="diff-left-label">
              {leftLabel}
            </th>
            <th colSpan={3} data-testid="diff-right-label">
              {rightLabel}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) =>
            row.kind === 'gap' ? (
              <tr key={i} className="diff-gap">
                <td colSpan={6}>
                  ⋯ {row.skipped} unchanged line{row.skipped === 1 ? '' : 's'}
                </td>
              </tr>
            ) : (
              <tr key={i} data-testid="diff-row" data-kind={row.kind}>
                <Side cell={row.left} side="left" mark={row.kind === 'context' ? null : '−'} />
                <Side cell={row.right} side="right" mark={row.kind === 'context' ? null : '+'} />
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Three cells of one side: line number, marker (− removed, + added), text; blank where the side has no line. */
function Side({ cell, side, mark }: { cell: DiffCell | null; side: 'left' | 'right'; mark: '−' | '+' | null }) {
  if (!cell) {
    return (
      <>
        <td className="diff-ln" />
        <td className="diff-mark" />
        <td className="diff-code diff-none" data-testid={`diff-${side}`} />
      </>
    );
  }
  const tone = mark === null ? '' : side === 'left' ? ' diff-removed' : ' diff-added';
  return (
    <>
      <td className={`diff-ln${tone}`}>{cell.line}</td>
      <td className={`diff-mark${tone}`} aria-label={mark === '−' ? 'removed' : mark === '+' ? 'added' : undefined}>
        {mark}
      </td>
      <td className={`diff-code${tone}`} data-testid={`diff-${side}`}>
        {cell.text}
        {cell.noNewline && (
          <span className="diff-no-newline" title="No newline at end of file">
            {' '}
            ⏎̸
          </span>
        )}
      </td>
    </>
  );
}
