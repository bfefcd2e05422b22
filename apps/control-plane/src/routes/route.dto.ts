import { routeHost, routeMatch, routeWebsocket, snapshotRoute } from '@switchboard/protocol';
import { z } from 'zod';

/** POST /api/v1/routes body: `match.type` defaults to prefix, websocket to any, priority to 0. */
export const createRouteBody = z.strictObject({
  balancerId: z.string().min(1),
  priority: snapshotRoute.shape.priority.default(0),
  host: routeHost.nullable().optional().transform((v) => v ?? null),
  match: z.strictObject({ type: routeMatch.shape.type.default('prefix'), path: routeMatch.shape.path }).pipe(routeMatch),
  websocket: routeWebsocket.default('any'),
  stripPrefix: z.boolean().default(false),
  enabled: z.boolean().default(true),
});
export type CreateRouteBody = z.infer<typeof createRouteBody>;

/** PATCH /api/v1/routes/{id} body; `match` is replaced whole when given. */
export const updateRouteBody = z.strictObject({
  balancerId: z.string().min(1).optional(),
  priority: snapshotRoute.shape.priority.optional(),
  host: routeHost.nullable().optional(),
  match: z.strictObject(routeMatch.shape).pipe(routeMatch).optional(),
  websocket: routeWebsocket.optional(),
  stripPrefix: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
export type UpdateRouteBody = z.infer<typeof updateRouteBody>;

/** A route as the API shows it (../shared/API.md). */
export interface RouteDto {
  id: string;
  balancerId: string;
  priority: number;
  host: string | null;
  match: { type: string; path: string };
  websocket: string;
  stripPrefix: boolean;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

type RouteRow = Omit<RouteDto, 'match'> & { matchType: string; matchPath: string };

export function toRouteDto(row: RouteRow): RouteDto {
  return {
    id: row.id,
    balancerId: row.balancerId,
    priority: row.priority,
    host: row.host,
    match: { type: row.matchType, path: row.matchPath },
    websocket: row.websocket,
    stripPrefix: row.stripPrefix,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
