import type { IncomingMessage } from 'node:http';
import * as protocol from '@switchboard/protocol';
import type { Routed } from '@switchboard/protocol';
import type { RuntimeBalancer, RuntimeConfig } from '../config/runtime';

// Bound once: compiled to CommonJS, the lib's re-exports are getters on an object of ~100
// properties, and reading them at every request cost ~40 ns of the ~470 ns routing step
// (test/bench/route-match.mjs).
const { normalizeTarget, requestHost, routeRequest } = protocol;

/**
 * Where a request goes (its route, whose target is the balancer and whose reversePrefix is put
 * back in the member's Location and cookie paths, and the path to forward), or the proxy's own
 * answer (400 more than one Host header or a request target that cannot be normalised, 404 no
 * route, 503 no configuration). */
export type Resolution = Routed<RuntimeBalancer> | { readonly status: 400 | 503; readonly reason: string };

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
 * a target that cannot be normalised is a 400 naming the cause. Normalising and routing are the
 * protocol lib's (normalizeTarget, routeRequest), the functions the dashboard's route tester
 * runs (explainRoute), so the two cannot answer differently.
 */
export function resolveRequest(runtime: RuntimeConfig | undefined, req: IncomingMessage, websocket: boolean): Resolution {
  if (hasSeveralHosts(req.rawHeaders)) return { status: 400, reason: 'more than one Host header' };
  const target = normalizeTarget(req.url ?? '/', req.headers.host);
  if ('error' in target) return { status: 400, reason: target.error };
  if (!runtime) return { status: 503, reason: 'agent has no configuration yet' };
  return routeRequest(runtime.routes, { method: req.method, host: requestHost(req.headers.host), path: target.path, query: target.query, websocket });
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
