import type { ConfigChange } from '@switchboard/api-client';

/** One line per structured change: `~ member chat ws://10.0.0.5:9000: weight 1 → 5`. */
export function changeLines(change: ConfigChange): string[] {
  return change.diff.changes.map((c) => {
    const sign = c.op === 'added' ? '+' : c.op === 'removed' ? '-' : '~';
    const where = c.kind === 'balancer' ? `balancer ${c.key}` : `${c.kind} ${c.balancer} ${c.key}`;
    const fields = c.op === 'changed' ? `: ${c.fields.map((f) => `${f.path} ${show(f.before)} → ${show(f.after)}`).join(', ')}` : '';
    return `${sign} ${where}${fields}`;
  });
}

/**
 * What `diff` and `apply` print: the unified diff of the two YAML exports, the change list, and
 * a last line saying what happened (dry run or the revision written).
 */
export function report(change: ConfigChange): string {
  const lines = changeLines(change);
  if (lines.length === 0) return `No changes: the configuration already equals the file (revision ${change.revision}).`;
  const outcome = change.dryRun
    ? `Dry run: nothing written; the configuration is still at revision ${change.revision}.`
    : `Applied as revision ${change.revision}.`;
  return [change.diff.text.trimEnd(), '', `${lines.length} change(s):`, ...lines, '', outcome].join('\n');
}

function show(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}
