import type { ConfigChange } from '@switchboard/api-client';
import { changeSummary, describeChange, diffLines } from '@/lib/change';

/**
 * A dry run's answer before it is saved: what would change, entity by entity with each field's
 * before → after, and the unified diff of the configuration (YAML) under a disclosure.
 */
export function ChangePreview({ change }: { change: ConfigChange }) {
  const lines = diffLines(change.diff.text);
  return (
    <section className="change-preview" data-testid="change-preview" aria-label="Dry run">
      <p className="change-summary">
        <strong>Dry run:</strong> <span data-testid="change-summary">{changeSummary(change)}</span>. Nothing has been written yet.
      </p>
      {change.diff.changes.length > 0 && (
        <ul className="change-list">
          {change.diff.changes.map((c) => {
            const { title, fields } = describeChange(c);
            return (
              <li key={`${c.kind} ${c.balancer} ${c.key}`} data-testid="change-item" data-kind={c.kind} data-op={c.op} className={`change-${c.op}`}>
                {title}
                {fields.length > 0 && (
                  <ul>
                    {fields.map((line) => (
                      <li key={line}>
                        <code>{line}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {lines.length > 0 && (
        <details>
          <summary>Configuration diff</summary>
          <pre className="diff" data-testid="diff-text">
            {lines.map((line, i) => (
              <span key={i} className={`diff-line diff-${line.kind}`}>
                {line.text}
                {'\n'}
              </span>
            ))}
          </pre>
        </details>
      )}
    </section>
  );
}
