// The ConfigDiff and ConfigChange shapes of the shared brief (§3, §4), until libs/protocol
// exports their schemas (issue 8, config store): then these give way to its types.

/** What changed between two revisions: per balancer, member and route, plus a unified diff of the YAML exports. */
export interface ConfigDiff {
  from: { revision: number; hash: string };
  /** `revision` null: a dry run, nothing written. */
  to: { revision: number | null; hash: string };
  changes: {
    kind: 'balancer' | 'member' | 'route';
    op: 'added' | 'removed' | 'changed';
    /** The balancer's name (for a route: the balancer it sends to). */
    balancer: string;
    /** Balancer name, member URL, or route "host type path websocket". */
    key: string;
    /** Changed fields by dotted path. */
    fields: { path: string; before?: unknown; after?: unknown }[];
  }[];
  /** Unified diff of the two YAML exports (ids omitted). */
  text: string;
}

/** The answer of a rollback (or its dry run): the revision written (the current one for a dry run) and its diff. */
export interface ConfigChange {
  dryRun: boolean;
  revision: number;
  diff: ConfigDiff;
}
