// Dry-run previews: a write sent with `?dryRun=true` answers a ConfigChange (nothing written),
// shown before the same write is saved for real.

import { configChange, type ConfigChange, type EntityChange } from '@switchboard/protocol';

/** Whether an answer is a dry run's ConfigChange (a control plane without dry runs would have written and answered the resource). */
export function isDryRunChange(body: unknown): body is ConfigChange {
  const parsed = configChange.safeParse(body);
  return parsed.success && parsed.data.dryRun;
}

/** A value of a changed field in a few characters: strings quoted, null "none", absent "—". */
export function formatValue(value: unknown): string {
  if (value === undefined) return '—';
  if (value === null) return 'none';
  return JSON.stringify(value);
}

/** A change as a heading and one line per field: "member ws://10.0.0.5:8000 in chat: added", "weight: 1 → 5". */
export function describeChange(change: EntityChange): { title: string; fields: string[] } {
  const where = change.kind === 'balancer' ? `balancer ${change.key}` : change.kind === 'member' ? `member ${change.key} in ${change.balancer}` : `route ${change.key} → ${change.balancer}`;
  const fields = change.fields.map(({ path, before, after }) => {
    if (change.op === 'added') return `${path}: ${formatValue(after)}`;
    if (change.op === 'removed') return `${path}: was ${formatValue(before)}`;
    return `${path}: ${formatValue(before)} → ${formatValue(after)}`;
  });
  return { title: `${where}: ${change.op}`, fields };
}

/** "2 changes against revision 7", "No change against revision 7". */
export function changeSummary(change: ConfigChange): string {
  const n = change.diff.changes.length;
  const what = n === 0 ? 'No change' : `${n} ${n === 1 ? 'change' : 'changes'}`;
  return `${what} against revision ${change.revision}`;
}

export type DiffLineKind = 'header' | 'hunk' | 'added' | 'removed' | 'context';

/**
 * The lines of a unified diff with their kind, for colouring. Lines before the first `@@` are
 * headers (`Index:`, `===`, `---`, `+++`), so a removed YAML line `--- x` inside a hunk is not one.
 */
export function diffLines(text: string): { kind: DiffLineKind; text: string }[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let inHunk = false;
  return lines.map((line) => {
    if (line.startsWith('@@')) inHunk = true;
    return { kind: inHunk ? hunkLineKind(line) : 'header', text: line };
  });
}

function hunkLineKind(line: string): DiffLineKind {
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  return 'context';
}
