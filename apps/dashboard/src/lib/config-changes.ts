// The structured part of a ConfigDiff (balancers, members and routes added, removed or
// changed, field by field) as short lines of text for the revisions page.
import type { EntityChange, FieldChange } from '@switchboard/protocol';

/** The marker shown next to an entry or line, so that colour is never the only sign. */
export const OP_MARKER: Record<EntityChange['op'], string> = { added: '+', removed: '−', changed: '~' };

/**
 * What a change is about: `balancer chat`, `member ws://10.0.0.1:9000 of balancer chat`,
 * `route <key> of balancer chat` (the route key is "host type path websocket").
 */
export function changeSubject(change: Pick<EntityChange, 'kind' | 'balancer' | 'key'>): string {
  switch (change.kind) {
    case 'balancer':
      return `balancer ${change.balancer}`;
    case 'member':
      return `member ${change.key} of balancer ${change.balancer}`;
    case 'route':
      return `route ${change.key} of balancer ${change.balancer}`;
  }
}

/**
 * One field of a change as text: `weight: 1 → 5` when changed (a side without the field reads
 * `(none)`), `weight: 5` for an added entity, `weight: 1` for a removed one.
 */
export function fieldText(op: EntityChange['op'], field: FieldChange): string {
  switch (op) {
    case 'added':
      return `${field.path}: ${formatValue(field.after)}`;
    case 'removed':
      return `${field.path}: ${formatValue(field.before)}`;
    case 'changed':
      return `${field.path}: ${formatValue(field.before)} → ${formatValue(field.after)}`;
  }
}

/**
 * A field value as an operator reads it: strings bare (quoted when empty or padded with
 * spaces), numbers and booleans as written, objects and arrays as compact JSON, a missing
 * value `(none)`.
 */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return value === '' || value.trim() !== value ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}
