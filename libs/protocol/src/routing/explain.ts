import type { SnapshotRoute } from '../config';
import { normalizeTarget } from './normalize-path';
import { compileRoutes, refusalOf, requestHost, routeRequest, type CompiledRoute, type RouteRefusal } from './routes';

/** A balancer as explainRoute names it. */
export interface NamedBalancer {
  readonly id: string;
  readonly name: string;
}

/**
 * What explainRoute reads of a configuration (a SnapshotConfig fits): balancers by id, and the
 * routes in snapshot order, which decides ties that priority, path length, match type and host
 * leave (the control plane orders them by creation).
 */
export interface RoutingConfig {
  readonly balancers: readonly NamedBalancer[];
  readonly routes: readonly SnapshotRoute[];
}

/** A request as a client sends it to the agent. */
export interface ExplainRequest {
  /** Only named in the 404 reason; default GET. */
  readonly method?: string;
  /** The Host header as sent (case and port allowed: `Chat.Example.com:8080`); '' for none (a plain HTTP/1.1 request without one gets 400). */
  readonly host: string;
  /** The request target as sent, byte for byte: `/path?query` (origin-form) or `http://host/path` (absolute-form). */
  readonly path: string;
  /** True for a WebSocket upgrade (`Upgrade: websocket`). */
  readonly upgrade: boolean;
}

/**
 * How one route answered the request: `matched` (it takes it), `shadowed` (it would, but a route
 * before it in match order took it), `disabled`, `no balancer` (its balancer is not in the
 * configuration: the agent leaves it out), or the first test it failed (RouteRefusal).
 */
export type RouteVerdict = 'matched' | 'shadowed' | 'disabled' | 'no balancer' | RouteRefusal;

/** A route with its verdict. */
export interface ExplainedRoute {
  readonly route: SnapshotRoute;
  readonly verdict: RouteVerdict;
}

/** What the request looked like to the matcher: lower-cased host without port, normalised path (no query), upgrade flag. */
export interface MatchedRequest {
  readonly host: string;
  readonly path: string;
  readonly websocket: boolean;
}

/**
 * The agent's answer to an HTTP/1.1 request, explained:
 * - `refused`: 400, by the agent when the request target cannot be normalised (`reason` is its
 *   body), or by Node's HTTP parser before the agent sees it when a plain request has no Host
 *   header (an empty body; `reason` says why; an upgrade without one is routed on host '');
 * - `no-route`: 404 (`reason` is the agent's body), every route's verdict says why;
 * - `routed`: the route that takes it, its balancer and the path forwarded to the member
 *   (stripPrefix applied, query kept).
 * `routes` lists every route, those the agent compiles in match order first, then the rest in
 * configuration order.
 */
export type RouteExplanation =
  | { readonly outcome: 'refused'; readonly status: 400; readonly reason: string; readonly by: 'agent' | 'parser' }
  | { readonly outcome: 'no-route'; readonly status: 404; readonly reason: string; readonly request: MatchedRequest; readonly routes: readonly ExplainedRoute[] }
  | {
      readonly outcome: 'routed';
      readonly route: SnapshotRoute;
      readonly balancer: NamedBalancer;
      readonly forwardedPath: string;
      readonly request: MatchedRequest;
      readonly routes: readonly ExplainedRoute[];
    };

const NO_HOST = 'no Host header: an HTTP/1.1 request must carry one (RFC 9112 section 3.2), so the HTTP parser refuses it before any route is tried';

/**
 * Which route the agent sends a request to, and why, answered by the agent's own code: the
 * target normalised by normalizeTarget, the routes compiled by compileRoutes and matched by
 * routeRequest, exactly as the agent's resolveRequest does (the Host header count, checked from
 * raw headers, and the 503 of an agent without configuration are the agent's alone). A target
 * with raw spaces or control characters is refused either way; Node's parser may be the one
 * answering (then with an empty body).
 * Pure and browser-safe: the dashboard's route tester runs it on a revision's configuration.
 * @throws RE2JSSyntaxException when a regex route fails routeMatch (validate drafts first).
 */
export function explainRoute(config: RoutingConfig, request: ExplainRequest): RouteExplanation {
  // Node's HTTP server (requireHostHeader, on by default) answers a bare 400 to an HTTP/1.1
  // request without Host; an upgrade without one reaches the agent, which routes it on host ''.
  if (request.host === '' && !request.upgrade) return { outcome: 'refused', status: 400, by: 'parser', reason: NO_HOST };
  const target = normalizeTarget(request.path, request.host);
  if ('error' in target) return { outcome: 'refused', status: 400, by: 'agent', reason: target.error };
  const order = compileInOrder(config);
  const matched: MatchedRequest = { host: requestHost(request.host), path: target.path, websocket: request.upgrade };
  const routed = routeRequest(order.compiled, { ...matched, method: request.method, query: target.query });
  const winner = 'route' in routed ? routed.route : null;
  const verdictOf = (c: CompiledRoute<NamedBalancer>): RouteVerdict => refusalOf(c, matched) ?? (c === winner ? 'matched' : 'shadowed');
  const routes: ExplainedRoute[] = [
    ...order.compiled.map((c) => ({ route: order.source(c), verdict: verdictOf(c) })),
    ...order.leftOut.map((route) => ({ route, verdict: route.enabled ? ('no balancer' as const) : ('disabled' as const) })),
  ];
  if ('status' in routed) return { outcome: 'no-route', status: 404, reason: routed.reason, request: matched, routes };
  return { outcome: 'routed', route: order.source(routed.route), balancer: routed.route.target, forwardedPath: routed.path, request: matched, routes };
}

/** The routes in the order the agent tries them (compileRoutes), then those it leaves out (disabled, or no balancer) in configuration order. */
export function routesInMatchOrder(config: RoutingConfig): SnapshotRoute[] {
  const order = compileInOrder(config);
  return [...order.compiled.map(order.source), ...order.leftOut];
}

/** The configuration compiled as the agent compiles it, with each compiled route's source and the routes left out. */
function compileInOrder(config: RoutingConfig) {
  const balancers = new Map(config.balancers.map((b) => [b.id, b]));
  const compiled = compileRoutes(config.routes, (id) => balancers.get(id));
  const byId = new Map(config.routes.map((r) => [r.id, r]));
  const kept = new Set(compiled.map((c) => c.id));
  return {
    compiled,
    source: (c: CompiledRoute<NamedBalancer>): SnapshotRoute => byId.get(c.id)!,
    leftOut: config.routes.filter((r) => !kept.has(r.id)),
  };
}
