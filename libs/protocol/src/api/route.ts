import { z } from 'zod';
import { routeHost, routeMatch, routeWebsocket, snapshotRoute } from '../config';
import { entityId, isoTime } from './common';

/** POST /api/v1/routes body: `match.type` defaults to prefix, websocket to any, priority to 0. */
export const createRouteBody = z
  .strictObject({
    balancerId: entityId.describe('The balancer that serves what the route matches'),
    priority: snapshotRoute.shape.priority.default(0),
    host: routeHost.nullable().optional().transform((v) => v ?? null).describe('Host the route is limited to; absent or null = any host'),
    match: z.strictObject({ type: routeMatch.shape.type.default('prefix'), path: routeMatch.shape.path }).pipe(routeMatch),
    websocket: routeWebsocket.default('any'),
    stripPrefix: snapshotRoute.shape.stripPrefix.default(false),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'CreateRouteBody', description: 'A new route' });
export type CreateRouteBody = z.infer<typeof createRouteBody>;

/** PATCH /api/v1/routes/{id} body; `match` is replaced whole when given. */
export const updateRouteBody = z
  .strictObject({
    balancerId: entityId.optional(),
    priority: snapshotRoute.shape.priority.optional(),
    host: routeHost.nullable().optional(),
    match: z.strictObject(routeMatch.shape).pipe(routeMatch).optional(),
    websocket: routeWebsocket.optional(),
    stripPrefix: z.boolean().optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: 'UpdateRouteBody', description: 'Any subset of the route; match is replaced whole' });
export type UpdateRouteBody = z.infer<typeof updateRouteBody>;

/** A route as the API shows it (../shared/API.md). */
export const route = snapshotRoute
  .extend({ createdAt: isoTime, updatedAt: isoTime })
  .meta({ id: 'Route', description: 'Which requests go to which balancer' });
export type Route = z.infer<typeof route>;
