import type { SnapshotRoute } from '../config';

/** Test fixture: an enabled catch-all route (prefix `/`, priority 0, any host, websocket any), with `overrides`. */
export function route(id: string, balancerId: string, overrides: Partial<SnapshotRoute> = {}): SnapshotRoute {
  return { id, balancerId, priority: 0, host: null, match: { type: 'prefix', path: '/' }, websocket: 'any', stripPrefix: false, enabled: true, ...overrides };
}
