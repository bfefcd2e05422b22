import { describeIssues, snapshot } from '@switchboard/protocol';
import { hashConfig } from '@switchboard/protocol/node';
import type { Snapshot, SnapshotConfig } from '@switchboard/protocol';
import { compileConfig } from './compile';
import type { CompileOptions } from './compile';
import type { CounterRegistry } from './member-counters';
import type { RuntimeConfig } from './runtime';

/** Where the served configuration came from. */
export type ConfigSource = 'control-plane' | 'cache';

/** The configuration being served. */
export interface AppliedConfig {
  readonly revision: number;
  /** sha256 hex of the configuration as received (see hashConfig). */
  readonly hash: string;
  /** The configuration as validated (fields this agent does not know are dropped). */
  readonly config: SnapshotConfig;
  /** The configuration exactly as received, which the hash covers and the disk cache keeps. */
  readonly rawConfig: unknown;
  readonly runtime: RuntimeConfig;
  readonly appliedAt: Date;
  readonly source: ConfigSource;
}

/**
 * What became of an offered snapshot: `applied` (new configuration in place), `unchanged`
 * (same hash as the one served: nothing re-applied, only the revision number taken over), or
 * `rejected` (invalid, inconsistent or hash mismatch; the previous configuration stays).
 */
export type ApplyOutcome =
  | { readonly result: 'applied' | 'unchanged'; readonly revision: number; readonly hash: string }
  | { readonly result: 'rejected'; readonly revision: number; readonly reason: string };

/** The revision a rejected snapshot claims, for its nack: the `revision` field when it is a non-negative integer, else 0. */
function claimedRevision(candidate: unknown): number {
  const revision = (candidate as { revision?: unknown } | null)?.revision;
  return typeof revision === 'number' && Number.isSafeInteger(revision) && revision >= 0 ? revision : 0;
}

/** Validates a candidate `{revision, hash, config}` and checks that the hash covers its config as received. */
function verify(candidate: unknown): { snapshot: Snapshot; rawConfig: unknown } | { reason: string } {
  const parsed = snapshot.safeParse(candidate);
  if (!parsed.success) return { reason: describeIssues(parsed.error) };
  // Hash the config as received, so fields a newer control plane adds do not fail the check.
  const rawConfig = (candidate as { config: unknown }).config;
  const actual = hashConfig(rawConfig as SnapshotConfig);
  if (actual !== parsed.data.hash) return { reason: `hash: does not match the config (computed ${actual})` };
  return { snapshot: parsed.data, rawConfig };
}

/**
 * Holds the configuration the agent serves and swaps it in place: the proxy reads
 * `current.runtime` per request, so requests and tunnels already running keep what they hold.
 */
export class ConfigState {
  private applied: AppliedConfig | null = null;

  /** `options` go to every compileConfig (agent-wide settings such as the upstream trust). */
  constructor(
    private readonly counters: CounterRegistry,
    private readonly options: Omit<CompileOptions, 'previous'> = {},
  ) {}

  /** The configuration served now, or null before the first one. */
  get current(): AppliedConfig | null {
    return this.applied;
  }

  /**
   * Validates (schema and consistency, as the protocol's `snapshot` schema: a snapshot
   * message without its `type`), verifies the hash and applies a candidate snapshot.
   * Never throws for bad input: a bad candidate is `rejected` with a reason for the nack.
   */
  offer(candidate: unknown, source: ConfigSource): ApplyOutcome {
    const verified = verify(candidate);
    if ('reason' in verified) return { result: 'rejected', revision: claimedRevision(candidate), reason: verified.reason };
    const { revision, hash, config } = verified.snapshot;
    const previous = this.applied;
    if (previous?.hash === hash) {
      this.applied = { ...previous, revision, source };
      return { result: 'unchanged', revision, hash };
    }
    const runtime = compileConfig(config, this.counters, { ...this.options, previous: previous?.runtime });
    this.applied = { revision, hash, config, rawConfig: verified.rawConfig, runtime, appliedAt: new Date(), source };
    return { result: 'applied', revision, hash };
  }
}
