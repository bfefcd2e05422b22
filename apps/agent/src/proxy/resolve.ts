import type { IncomingMessage } from 'node:http';
import type { RuntimeBalancer, RuntimeConfig } from '../config/runtime';
import { normalizeTarget } from '../routing/normalize-path';
import { forwardPath, matchRoute, requestHost } from '../routing/routes';

/**
 * Where a request goes (its balancer, the path to forward, and the prefix put back in the
 * member's Location and cookie paths — see CompiledRoute.reversePrefix), or the proxy's own
 * answer (400 more than one Host header or a request target that cannot be normalised, 404 no
 * route, 503 no configuration). */
export type Resolution =
  | { readonly balancer: RuntimeBalancer; readonly path: string; readonly reversePrefix: string | null }
  | { readonly status: 400 | 404 | 503; readonly reason: string };

/** True for an `Upgrade: websocket` request (case-insensitive), which routes see as WebSocket. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return req.headers.upgrade?.toLowerCase() === 'websocket';
}

/**
 * True when the request has more than one Host header line. Node's parser keeps the first in
 * `headers.host` (what routes match) but an upgrade forwards them all, and a member may read
 * another: RFC 9112 §3.2 says 400.
 */
function hasSeveralHosts(rawHeaders: readonly string[]): boolean {
  let seen = false;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i];
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue;
    if (seen) return true;
    seen = true;
  }
  return false;
}

/**
 * Matches a request against the served routes (the first step of both the HTTP and the upgrade
 * path). The request target is normalised first (see normalizeTarget: no dot segments, merged
 * slashes, canonical escapes), so the route sees, and the member gets, the normalised path;
 * a target that cannot be normalised is a 400 naming the cause.
 */
export function resolveRequest(runtime: RuntimeConfig | undefined, req: IncomingMessage, websocket: boolean): Resolution {
  if (hasSeveralHosts(req.rawHeaders)) return { status: 400, reason: 'more than one Host header' };
  const target = normalizeTarget(req.url ?? '/', req.headers.host);
  if ('error' in target) return { status: 400, reason: target.error };
  if (!runtime) return { status: 503, reason: 'agent has no configuration yet' };
  const host = requestHost(req.headers.host);
  const { path, query } = target;
  const matched = matchRoute(runtime.routes, { host, path, websocket });
  if (!matched) return { status: 404, reason: `no route matches ${req.method ?? 'GET'} ${path} on host ${host || '(none)'}${websocket ? ' (websocket)' : ''}` };
  return { balancer: matched.route.target, path: forwardPath(matched.stripLength, path, query), reversePrefix: matched.route.reversePrefix };
}

/** The 503 body when a balancer has no usable member, or none of those tried could be reached. */
export function unavailableReason(balancer: RuntimeBalancer, attempts: number, lastError: string): string {
  return attempts === 0
    ? `no usable member in balancer ${balancer.name}`
    : `no member of balancer ${balancer.name} could be reached (${attempts} tried, last error: ${lastError})`;
}

/** The 503 body of a tunnel when every member it could use has maxTunnelsPerMember tunnels on this agent. */
export function fullReason(balancer: RuntimeBalancer): string {
  const waited = balancer.queueTimeoutMs > 0 ? `, waited ${balancer.queueTimeoutMs} ms` : '';
  return `every usable member is full in balancer ${balancer.name} (maxTunnelsPerMember ${balancer.maxTunnelsPerMember}${waited})`;
}
