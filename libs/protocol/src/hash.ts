import { createHash } from 'node:crypto';
import type { SnapshotConfig } from './config';

/** JSON with object keys sorted at every depth, so equal configurations serialize identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 hex digest (64 characters) of the canonical JSON of a configuration. */
export function hashConfig(config: SnapshotConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}
