import { z } from 'zod';

/** One field that differs, by its dotted path in the entity (`timeouts.connectMs`); `before` absent when it was not set, `after` absent when it is no longer set. */
export const fieldChange = z.object({
  path: z.string(),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
}).meta({ id: 'FieldChange', description: 'One field that differs, by its dotted path in the entity' });
export type FieldChange = z.infer<typeof fieldChange>;

/**
 * One balancer, member or route added, removed or changed. `balancer` is the balancer's name
 * (for a member or route: the name of the balancer it belongs to); `key` names the entity as
 * the configuration document does: the balancer's name, the member's URL, the route's
 * `host type path websocket` (host `*` when any). `fields` lists every field that differs
 * (for an added or removed entity: all of them).
 */
export const entityChange = z.object({
  kind: z.enum(['balancer', 'member', 'route']),
  op: z.enum(['added', 'removed', 'changed']),
  balancer: z.string(),
  key: z.string(),
  fields: z.array(fieldChange),
}).meta({ id: 'EntityChange', description: 'One balancer, member or route added, removed or changed' });
export type EntityChange = z.infer<typeof entityChange>;

/** A revision and the hash of its configuration. */
export const revisionRef = z.object({
  revision: z.number().int().min(0),
  hash: z.string(),
});

/**
 * The difference between two configurations: structured `changes`, and `text`, the unified diff
 * of the two YAML exports without ids ('' when they are equal). `to.revision` is null for a dry
 * run (the configuration that would be written).
 */
export const configDiff = z.object({
  from: revisionRef,
  to: revisionRef.extend({ revision: z.number().int().min(0).nullable() }),
  changes: z.array(entityChange),
  text: z.string(),
}).meta({ id: 'ConfigDiff', description: 'The difference between two configurations: structured changes and a unified diff of their YAML exports' });
export type ConfigDiff = z.infer<typeof configDiff>;

/**
 * The answer of PUT /api/v1/config, of a rollback and of every write with `?dryRun=true`:
 * `revision` is the revision written, or the current one when nothing was written (a dry run,
 * or a change that changes nothing).
 */
export const configChange = z.object({
  dryRun: z.boolean(),
  revision: z.number().int().min(0),
  diff: configDiff,
}).meta({ id: 'ConfigChange', description: 'What a whole-configuration write or a dry run did (or would do): the revision and the diff' });
export type ConfigChange = z.infer<typeof configChange>;

/** Query of every configuration write: `dryRun=true` writes nothing and answers the ConfigChange the write would make. */
export const dryRunQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional(),
});

/** Path of GET /api/v1/revisions/{a}/diff/{b}: the revisions compared, from `a` to `b` (either order). */
export const revisionDiffParams = z.object({
  a: z.coerce.number().int().min(0),
  b: z.coerce.number().int().min(0),
});

/** Path of POST /api/v1/revisions/{number}/rollback. */
export const revisionNumberParams = z.object({
  number: z.coerce.number().int().min(0),
});
