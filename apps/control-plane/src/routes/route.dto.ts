import type { Route, RouteMatch, SnapshotRoute } from '@switchboard/protocol';
import type { WithDates } from '../common/json';

/** A route as a service returns it: the contract's Route, times as Dates until serialised. */
export type RouteDto = WithDates<Route, 'createdAt' | 'updatedAt'>;

type RouteRow = Omit<RouteDto, 'match' | 'websocket'> & { matchType: string; matchPath: string; websocket: string };

/** A route row as the API shows it (stored strings are cast: the API only ever stores valid ones). */
export function toRouteDto(row: RouteRow): RouteDto {
  return {
    id: row.id,
    balancerId: row.balancerId,
    priority: row.priority,
    host: row.host,
    match: { type: row.matchType as RouteMatch['type'], path: row.matchPath },
    websocket: row.websocket as SnapshotRoute['websocket'],
    stripPrefix: row.stripPrefix,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
