import { diffConfigs, snapshotConfig, type ConfigDiff, type SnapshotConfig } from '@switchboard/protocol';

/** One side of a diff: a revision (null: a dry run's configuration, not written) and its configuration. */
export interface DiffSide {
  revision: number | null;
  hash: string;
  config: SnapshotConfig;
}

/**
 * A stored revision's configuration read with today's schema (defaults of fields added since
 * filled in); as stored when today's schema refuses it (say, a member URL with credentials from
 * before they were refused), so that it can still be compared and repaired.
 */
export function storedConfig(snapshot: unknown): SnapshotConfig {
  const parsed = snapshotConfig.safeParse(snapshot);
  return parsed.success ? parsed.data : (snapshot as SnapshotConfig);
}

/** The ConfigDiff from one configuration to another, its text labelled `revision <n>` (or `dry run`). */
export function diffSides(from: DiffSide & { revision: number }, to: DiffSide): ConfigDiff {
  const label = (side: DiffSide) => (side.revision === null ? 'dry run' : `revision ${side.revision}`);
  const { changes, text } = diffConfigs(from.config, to.config, { before: label(from), after: label(to) });
  return { from: { revision: from.revision, hash: from.hash }, to: { revision: to.revision, hash: to.hash }, changes, text };
}
