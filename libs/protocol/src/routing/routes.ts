import type { RE2JS } from 're2js';
import type { SnapshotRoute } from '../config';
import { compileRouteRegex } from '../route-regex';

/** How a request's WebSocket-ness is tested against a route (`any` always passes). */
type WebsocketRule = SnapshotRoute['websocket'];

/** A route prepared for matching: host split into exact or suffix form, regex compiled, target resolved. */
export interface CompiledRoute<T> {
  readonly id: string;
  readonly target: T;
  readonly priority: number;
  /** Lower-cased host the request must have exactly, or null. */
  readonly hostExact: string | null;
  /** For `*.example.com`: `.example.com`, which the request host must end with (any depth), or null. */
  readonly hostSuffix: string | null;
  readonly type: SnapshotRoute['match']['type'];
  /** The match path, or the regex source for `regex` (its length orders routes either way). */
  readonly path: string;
  /** For `regex`: the expression compiled once per snapshot by RE2 (linear time in the path, no backtracking); else null. */
  readonly regex: RE2JS | null;
  readonly websocket: WebsocketRule;
  readonly stripPrefix: boolean;
  /** Characters to remove from the front of the path for `prefix` and `exact` (the path without a trailing `/`), or 0. */
  readonly stripLength: number;
  /**
   * For a `prefix` route with stripPrefix: the prefix without its trailing `/` (`/chat`), put back
   * in front of the member's Location, Content-Location and Set-Cookie paths (ProxyPassReverse);
   * null otherwise (nothing to rewrite).
   */
  readonly reversePrefix: string | null;
}

/** A route that accepted a request, with how many characters of the path stripPrefix removes. */
export interface MatchedRoute<T> {
  readonly route: CompiledRoute<T>;
  readonly stripLength: number;
}

/** What a request offers to the matcher: lower-cased host without port, path without query, upgrade flag. */
export interface RouteRequest {
  readonly host: string;
  readonly path: string;
  readonly websocket: boolean;
}

function compileRoute<T>(route: SnapshotRoute, target: T): CompiledRoute<T> {
  const wildcard = route.host?.startsWith('*.') ?? false;
  const { type, path } = route.match;
  const literalStrip = route.stripPrefix && type !== 'regex' ? path.replace(/\/$/, '').length : 0;
  return {
    id: route.id,
    target,
    priority: route.priority,
    hostExact: wildcard ? null : route.host,
    hostSuffix: wildcard ? route.host!.slice(1) : null,
    type,
    path,
    regex: type === 'regex' ? compileRouteRegex(path) : null,
    websocket: route.websocket,
    stripPrefix: route.stripPrefix,
    stripLength: literalStrip,
    reversePrefix: type === 'prefix' && literalStrip > 0 ? path.slice(0, literalStrip) : null,
  };
}

/** Host-specific routes before wildcard ones before host-less ones, on equal priority and path. */
function hostRank(route: CompiledRoute<unknown>): number {
  if (route.hostExact !== null) return 0;
  return route.hostSuffix !== null ? 1 : 2;
}

/** Literal matches before expressions on equal priority and length: exact, then prefix, then regex. */
const TYPE_RANK = { exact: 0, prefix: 1, regex: 2 } as const;

/**
 * Match order: higher priority, then longer path (for `regex`, the length of its source), then
 * exact before prefix before regex, then host specificity.
 */
function compareRoutes(a: CompiledRoute<unknown>, b: CompiledRoute<unknown>): number {
  return b.priority - a.priority || b.path.length - a.path.length || TYPE_RANK[a.type] - TYPE_RANK[b.type] || hostRank(a) - hostRank(b);
}

/**
 * Compiles the enabled routes of a snapshot, sorted once into match order (stable, so the
 * snapshot's order decides remaining ties). `targetOf` maps a balancer id to what the route
 * sends traffic to; routes whose balancer it does not know are left out.
 */
export function compileRoutes<T>(routes: readonly SnapshotRoute[], targetOf: (balancerId: string) => T | undefined): CompiledRoute<T>[] {
  const compiled: CompiledRoute<T>[] = [];
  for (const route of routes) {
    const target = route.enabled ? targetOf(route.balancerId) : undefined;
    if (target !== undefined) compiled.push(compileRoute(route, target));
  }
  return compiled.sort(compareRoutes);
}

function hostMatches(route: CompiledRoute<unknown>, host: string): boolean {
  if (route.hostExact !== null) return host === route.hostExact;
  if (route.hostSuffix !== null) return host.length > route.hostSuffix.length && host.endsWith(route.hostSuffix);
  return true;
}

/**
 * How many characters stripPrefix removes when the route accepts the path, or -1 when it does not.
 * Prefix `/chat` matches `/chat`, `/chat/` and `/chat/x`, not `/chatty`; prefix `/chat/` needs the
 * slash. A regex is tested anywhere in the path; only a match at index 0 is stripped.
 */
function pathMatch(route: CompiledRoute<unknown>, path: string): number {
  if (route.regex !== null) return regexMatch(route.regex, route.stripPrefix, path);
  if (route.type === 'exact' || path.length === route.path.length) return path === route.path ? route.stripLength : -1;
  return path.startsWith(route.path) && (route.path.endsWith('/') || path.charCodeAt(route.path.length) === 0x2f) ? route.stripLength : -1;
}

/**
 * A regex route's answer for pathMatch. `test` runs RE2's DFA (no capture positions, the fast
 * path); only a stripping route that matched pays for the match positions (RE2's NFA, still
 * linear in the path times the program size, which the schema caps).
 */
function regexMatch(regex: RE2JS, stripPrefix: boolean, path: string): number {
  if (!regex.test(path)) return -1;
  if (!stripPrefix) return 0;
  const found = regex.matcher(path);
  found.find();
  return found.start() === 0 ? found.end() : 0;
}

function websocketMatches(rule: WebsocketRule, websocket: boolean): boolean {
  return rule === 'any' || (rule === 'only') === websocket;
}

/**
 * The first route in match order that accepts the request, or undefined. The path is compared as
 * given: the proxy passes it normalised (see normalizePath), so `%2F` stays encoded and `..` never
 * appears; a regex is tried last (after host and websocket).
 */
export function matchRoute<T>(routes: readonly CompiledRoute<T>[], request: RouteRequest): MatchedRoute<T> | undefined {
  for (const route of routes) {
    if (!websocketMatches(route.websocket, request.websocket) || !hostMatches(route, request.host)) continue;
    const stripLength = pathMatch(route, request.path);
    if (stripLength !== -1) return { route, stripLength };
  }
  return undefined;
}

/** Which test of matchRoute a route fails for a request, in matchRoute's order. */
export type RouteRefusal = 'websocket' | 'host' | 'path';

/**
 * Why `route` does not accept the request, or null when it does: matchRoute's own tests in its
 * order (websocket rule, host, path), for explaining an answer (see explainRoute). matchRoute
 * answers the first route in match order for which this is null.
 */
export function refusalOf(route: CompiledRoute<unknown>, request: RouteRequest): RouteRefusal | null {
  if (!websocketMatches(route.websocket, request.websocket)) return 'websocket';
  if (!hostMatches(route, request.host)) return 'host';
  return pathMatch(route, request.path) === -1 ? 'path' : null;
}

/** A normalised request as the proxy routes it: method (for the 404 reason), lower-cased host without port, normalised path, query with its `?` (or ''), upgrade flag. */
export interface RoutableRequest extends RouteRequest {
  readonly method: string | undefined;
  readonly query: string;
}

/** The route that takes a request and the path to forward to its balancer (stripPrefix applied, query kept), or the proxy's 404 naming the request. */
export type Routed<T> = { readonly route: CompiledRoute<T>; readonly path: string } | { readonly status: 404; readonly reason: string };

/**
 * The routing step of the proxy after normalisation (normalizeTarget): the first route in match
 * order (matchRoute) and the path it forwards (forwardPath), or the agent's 404 with its body.
 * The agent answers every request with this, and explainRoute answers the dashboard's tester.
 */
export function routeRequest<T>(routes: readonly CompiledRoute<T>[], request: RoutableRequest): Routed<T> {
  const matched = matchRoute(routes, request);
  if (matched) return { route: matched.route, path: forwardPath(matched.stripLength, request.path, request.query) };
  const { method, path, host, websocket } = request;
  return { status: 404, reason: `no route matches ${method ?? 'GET'} ${path} on host ${host || '(none)'}${websocket ? ' (websocket)' : ''}` };
}

/** The path to forward: the stripped characters removed (`/chat/ws` → `/ws`, `/chat` → `/`, never empty), then the query appended. */
export function forwardPath(stripLength: number, path: string, query: string): string {
  const rest = stripLength === 0 ? path : path.slice(stripLength);
  const rooted = rest.startsWith('/') ? rest : `/${rest}`;
  return query === '' ? rooted : `${rooted}${query}`;
}

/** Lower-cased host of a Host header without its port (`Chat.Example.com:8080` → `chat.example.com`, `[::1]:80` → `[::1]`). */
export function requestHost(header: string | undefined): string {
  if (header === undefined) return '';
  const end = header.startsWith('[') ? header.indexOf(']') + 1 : header.indexOf(':');
  return (end > 0 ? header.slice(0, end) : header).toLowerCase();
}

/** Splits a request target into path and query (the query keeps its `?`). */
export function splitTarget(target: string): { path: string; query: string } {
  const mark = target.indexOf('?');
  return mark === -1 ? { path: target, query: '' } : { path: target.slice(0, mark), query: target.slice(mark) };
}
