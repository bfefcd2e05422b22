import { stringify } from 'yaml';
import { z } from 'zod';
import {
  balancerName,
  DEFAULT_REBALANCE,
  memberDrain,
  memberState,
  memberUrl,
  rebalance,
  routeHost,
  routeMatch,
  routeWebsocket,
  snapshotBalancer,
  snapshotMember,
  snapshotRoute,
  type SnapshotBalancer,
  type SnapshotConfig,
  type SnapshotMember,
  type SnapshotRoute,
} from '../config';
import { byText } from '../order';
import { balancerSettingsInput } from './balancer-input';
import { issueFieldErrors, type FieldError } from './problem';

// The whole configuration as one document: what GET /api/v1/config exports and PUT
// /api/v1/config applies (JSON, or YAML with application/yaml). Balancers are keyed by name,
// routes name their balancer, ids are optional (an export leaves them out unless `?ids=true`),
// and every absent setting takes the default of the matching POST. Unknown fields are refused.

/** A window or a deadline needs a drain whose window does not exceed its deadline. */
function windowWithinDeadline(value: { windowMs: number; deadlineMs: number }, ctx: z.RefinementCtx): void {
  if (value.windowMs > value.deadlineMs) ctx.addIssue({ code: 'custom', path: ['windowMs'], message: 'must not exceed deadlineMs' });
}

/**
 * A member's paced drain (see the protocol's memberDrain), only with state `draining`.
 * `startedAt` (epoch ms) absent: the running drain's when the member already drains with this
 * window and deadline, else the moment of the apply.
 */
export const documentDrain = z
  .strictObject({
    startedAt: memberDrain.shape.startedAt.optional(),
    windowMs: memberDrain.shape.windowMs.default(0),
    deadlineMs: memberDrain.shape.deadlineMs,
  })
  .superRefine(windowWithinDeadline);

/**
 * The latest rebalance asked for (see the protocol's rebalance). `requestedAt` (epoch ms) absent:
 * the current one's when it has this tolerance and pace, else a new rebalance from the apply.
 */
export const documentRebalance = z.strictObject({
  requestedAt: rebalance.shape.requestedAt.optional(),
  tolerance: rebalance.shape.tolerance.default(DEFAULT_REBALANCE.tolerance),
  closesPerSecond: rebalance.shape.closesPerSecond.default(DEFAULT_REBALANCE.closesPerSecond),
});

/** A member of a balancer in the document; weight 1, lbset 0 and state active when absent. */
export const documentMember = z
  .strictObject({
    id: snapshotMember.shape.id.optional(),
    url: memberUrl,
    name: z.string().trim().min(1).max(200).nullable().optional().transform((v) => v ?? null),
    weight: snapshotMember.shape.weight.default(1),
    lbset: snapshotMember.shape.lbset.default(0),
    state: memberState.default('active'),
    drain: documentDrain.nullable().optional().transform((v) => v ?? null),
  })
  .superRefine((member, ctx) => {
    if (member.drain !== null && member.state !== 'draining') ctx.addIssue({ code: 'custom', path: ['drain'], message: 'is allowed only with state draining' });
  });

/** A balancer in the document (its name is its key); every setting absent takes the default of POST /api/v1/balancers. */
export const documentBalancer = z.strictObject({
  id: snapshotBalancer.shape.id.optional(),
  ...balancerSettingsInput,
  rebalance: documentRebalance.nullable().optional().transform((v) => v ?? null),
  members: z.array(documentMember),
});

/** A route in the document, naming its balancer; defaults as POST /api/v1/routes. */
export const documentRoute = z.strictObject({
  id: snapshotRoute.shape.id.optional(),
  balancer: balancerName,
  priority: snapshotRoute.shape.priority.default(0),
  host: routeHost.nullable().optional().transform((v) => v ?? null),
  match: z.strictObject({ type: routeMatch.shape.type.default('prefix'), path: routeMatch.shape.path }).pipe(routeMatch),
  websocket: routeWebsocket.default('any'),
  stripPrefix: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

/**
 * The whole configuration (`version: 1`). `balancers`, each balancer's `members` and `routes`
 * are required, even empty, so that a truncated file cannot delete what it forgot. Checked
 * across entities too: ids unique per kind, a URL once per balancer, every route's balancer in
 * the document.
 */
export const configDocument = z
  .strictObject({
    version: z.literal(1),
    /** In an export: the revision exported. Ignored by an apply. */
    revision: z.number().int().min(0).optional(),
    balancers: z.record(balancerName, documentBalancer),
    routes: z.array(documentRoute),
  })
  .superRefine(checkReferences)
  .meta({ id: 'ConfigDocument', description: 'The whole configuration as a document: balancers keyed by name with their members, routes naming their balancer; ids optional' });

/** A configuration document as written (ids and defaulted fields optional): what GET /api/v1/config answers. */
export type ConfigDocument = z.input<typeof configDocument>;
/** A configuration document once checked, defaults filled in: what an apply works from. */
export type ParsedConfigDocument = z.output<typeof configDocument>;
export type ParsedDocumentBalancer = z.output<typeof documentBalancer>;
export type ParsedDocumentMember = z.output<typeof documentMember>;
export type ParsedDocumentRoute = z.output<typeof documentRoute>;

/** Query of GET /api/v1/config: `ids=true` includes every entity's id (needed to apply it as an exact restore). */
export const configExportQuery = z.object({
  ids: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});

/** Cross-entity checks of a document whose fields are valid. */
function checkReferences(document: { balancers: Record<string, ParsedDocumentBalancer>; routes: ParsedDocumentRoute[] }, ctx: z.RefinementCtx): void {
  const firstOf = new Map<string, string>();
  const once = (kind: string, id: string | undefined, path: (string | number)[]) => {
    if (id === undefined) return;
    const first = firstOf.get(`${kind} ${id}`);
    if (first === undefined) firstOf.set(`${kind} ${id}`, path.join('.'));
    else ctx.addIssue({ code: 'custom', path, message: `duplicate ${kind} id: also ${first}` });
  };
  for (const [name, balancer] of Object.entries(document.balancers)) {
    once('balancer', balancer.id, ['balancers', name, 'id']);
    const urls = new Map<string, number>();
    balancer.members.forEach((member, i) => {
      once('member', member.id, ['balancers', name, 'members', i, 'id']);
      const first = urls.get(member.url);
      if (first === undefined) urls.set(member.url, i);
      else ctx.addIssue({ code: 'custom', path: ['balancers', name, 'members', i, 'url'], message: `duplicate member URL: also members.${first} of this balancer` });
    });
  }
  document.routes.forEach((route, i) => {
    once('route', route.id, ['routes', i, 'id']);
    if (!Object.hasOwn(document.balancers, route.balancer)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'balancer'], message: `names no balancer of this document: ${route.balancer}` });
  });
}

/**
 * The field errors of a document that failed `configDocument`, each with its dotted path in the
 * document (`balancers.chat.members.1.url`; `(body)` for the document itself). An unknown field
 * is named by its own path, a bad balancer name by its key.
 */
export function configDocumentErrors(error: z.ZodError): FieldError[] {
  return issueFieldErrors(error, 'is not a known field', (issue) => (issue.code === 'invalid_key' ? `balancer name ${issue.issues.map((i) => i.message).join('; ')}` : issue.message));
}

/** The key of a route in documents and diffs: `host type path websocket`, host `*` when any. */
export function routeKey(route: Pick<SnapshotRoute, 'host' | 'match' | 'websocket'>): string {
  return `${route.host ?? '*'} ${route.match.type} ${route.match.path} ${route.websocket}`;
}

/**
 * The configuration document of a snapshot configuration: balancers keyed by name in name
 * order, members by URL, routes by routeKey then balancer name; every field
 * written out except nulls (absent means null or none), ids only with `ids`, `revision` when
 * given. Applying it with ids reproduces `config` exactly; without ids, the same configuration
 * with the ids of the entities it matches.
 */
export function configDocumentOf(config: SnapshotConfig, options: { ids: boolean; revision?: number }): ConfigDocument {
  const names = new Map(config.balancers.map((b) => [b.id, b.name]));
  const nameOf = (route: SnapshotRoute) => names.get(route.balancerId) ?? route.balancerId;
  const routes = [...config.routes].sort(byText((r) => `${routeKey(r)}\u0000${nameOf(r)}\u0000${r.id}`));
  return {
    version: 1,
    ...(options.revision === undefined ? {} : { revision: options.revision }),
    balancers: Object.fromEntries([...config.balancers].sort(byText((b) => b.name)).map((b) => [b.name, balancerDocumentOf(b, options.ids)])),
    routes: routes.map((route) => routeDocumentOf(route, nameOf(route), options.ids)),
  };
}

/** A configuration document as YAML, keys in document order, long strings (regexes) never folded. */
export function configDocumentYaml(document: ConfigDocument): string {
  return stringify(document, { lineWidth: 0 });
}

type DocumentBalancerInput = ConfigDocument['balancers'][string];
type DocumentRouteInput = ConfigDocument['routes'][number];

function balancerDocumentOf(balancer: SnapshotBalancer, ids: boolean): DocumentBalancerInput {
  const { id, name: _name, members, ...settings } = balancer;
  return withoutNulls({ ...(ids ? { id } : {}), ...settings, members: [...members].sort(byText((m) => m.url)).map((member) => memberDocumentOf(member, ids)) });
}

function memberDocumentOf(member: SnapshotMember, ids: boolean): DocumentBalancerInput['members'][number] {
  const { id, ...fields } = member;
  return withoutNulls({ ...(ids ? { id } : {}), ...fields });
}

function routeDocumentOf(route: SnapshotRoute, balancer: string, ids: boolean): DocumentRouteInput {
  const { id, balancerId: _balancerId, ...fields } = route;
  return withoutNulls({ ...(ids ? { id } : {}), balancer, ...fields });
}

/** `value` without the null-valued keys of its plain objects, at every depth (in a document, absent means null). */
function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)])) as T;
}
