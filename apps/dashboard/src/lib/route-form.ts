import { snapshotRoute, type RoutingConfig, type SnapshotRoute } from '@switchboard/protocol';
import { numericField } from './form';

/** The route editor's fields as typed (numbers as text, so that the API can name a bad one). */
export interface RouteDraft {
  balancerId: string;
  priority: string;
  /** '' = any host. */
  host: string;
  matchType: SnapshotRoute['match']['type'];
  matchPath: string;
  websocket: SnapshotRoute['websocket'];
  stripPrefix: boolean;
  enabled: boolean;
}

/** The fields of POST/PATCH /routes, as the API names them in problem `errors[]`. */
export const ROUTE_FIELDS = ['balancerId', 'priority', 'host', 'match.type', 'match.path', 'websocket', 'stripPrefix', 'enabled'] as const;
export type RouteField = (typeof ROUTE_FIELDS)[number];

/** Id given to a route being created while the tester tries it (never sent to the API). */
export const DRAFT_ROUTE_ID = 'draft';

/** A new route's fields: the API's defaults (priority 0, any host, prefix `/`, websocket any, no strip, enabled). */
export function newRouteDraft(balancerId: string): RouteDraft {
  return { balancerId, priority: '0', host: '', matchType: 'prefix', matchPath: '/', websocket: 'any', stripPrefix: false, enabled: true };
}

/** The editor's fields for an existing route. */
export function draftOf(route: SnapshotRoute): RouteDraft {
  const { balancerId, priority, host, match, websocket, stripPrefix, enabled } = route;
  return { balancerId, priority: String(priority), host: host ?? '', matchType: match.type, matchPath: match.path, websocket, stripPrefix, enabled };
}

/**
 * The POST or PATCH /routes body: every field (PATCH replaces `match` whole), an empty priority
 * as 0 and an empty host as null (any host); text that is not a number is sent as is, so the API
 * names the field. The path is sent as typed: spaces matter in a regex.
 */
export function routeBody(draft: RouteDraft): Record<string, unknown> {
  const host = draft.host.trim();
  return {
    balancerId: draft.balancerId,
    priority: numericField(draft.priority) ?? 0,
    host: host === '' ? null : host,
    match: { type: draft.matchType, path: draft.matchPath },
    websocket: draft.websocket,
    stripPrefix: draft.stripPrefix,
    enabled: draft.enabled,
  };
}

/** Whether an edit would change its route: the bodies the two drafts send differ (a priority typed " 5 " is still 5). */
export function draftChanged(draft: RouteDraft, saved: RouteDraft): boolean {
  return JSON.stringify(routeBody(draft)) !== JSON.stringify(routeBody(saved));
}

/** A field error as problem+json `errors[]` carries it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** A draft checked by the protocol's route schema (the API's own rules): the route, or its field errors with the API's paths. */
export type CheckedDraft = { readonly route: SnapshotRoute } | { readonly errors: readonly FieldIssue[] };

/** Checks a draft as the control plane would (same schema: RE2 regex rules, host and path forms) before the tester runs it; `id` is the edited route's or DRAFT_ROUTE_ID. */
export function checkDraft(draft: RouteDraft, id: string): CheckedDraft {
  const result = snapshotRoute.safeParse({ id, ...routeBody(draft) });
  if (result.success) return { route: result.data };
  return { errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) };
}

/**
 * The configuration with the draft in place: an edited route replaces its saved self where it
 * stands (its creation time, hence its place in snapshot order, is kept); a new one goes last,
 * as the newest route does in the next snapshot.
 */
export function withDraft(config: RoutingConfig, route: SnapshotRoute): RoutingConfig {
  const at = config.routes.findIndex((r) => r.id === route.id);
  const routes = at === -1 ? [...config.routes, route] : config.routes.map((r, i) => (i === at ? route : r));
  return { balancers: config.balancers, routes };
}
