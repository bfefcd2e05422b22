import type { SnapshotRoute } from '@switchboard/protocol';

/** How a request's WebSocket-ness is tested against a route (`any` always passes). */
type WebsocketRule = SnapshotRoute['websocket'];

/** A route prepared for matching: host split into exact or suffix form, target resolved. */
export interface CompiledRoute<T> {
  readonly id: string;
  readonly target: T;
  readonly priority: number;
  /** Lower-cased host the request must have exactly, or null. */
  readonly hostExact: string | null;
  /** For `*.example.com`: `.example.com`, which the request host must end with (any depth), or null. */
  readonly hostSuffix: string | null;
  readonly exact: boolean;
  readonly path: string;
  readonly websocket: WebsocketRule;
  /** Characters to remove from the front of the path (the prefix without a trailing `/`), or 0. */
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
  return {
    id: route.id,
    target,
    priority: route.priority,
    hostExact: wildcard ? null : route.host,
    hostSuffix: wildcard ? route.host!.slice(1) : null,
    exact: route.match.type === 'exact',
    path: route.match.path,
    websocket: route.websocket,
    stripLength: route.stripPrefix ? route.match.path.replace(/\/$/, '').length : 0,
  };
}

/** Host-specific routes before wildcard ones before host-less ones, on equal priority and path. */
function hostRank(route: CompiledRoute<unknown>): number {
  if (route.hostExact !== null) return 0;
  return route.hostSuffix !== null ? 1 : 2;
}

/** Match order: higher priority, then longer path, then exact before prefix, then host specificity. */
function compareRoutes(a: CompiledRoute<unknown>, b: CompiledRoute<unknown>): number {
  return b.priority - a.priority || b.path.length - a.path.length || Number(b.exact) - Number(a.exact) || hostRank(a) - hostRank(b);
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

/** Prefix `/chat` matches `/chat`, `/chat/` and `/chat/x`, not `/chatty`; prefix `/chat/` needs the slash. */
function pathMatches(route: CompiledRoute<unknown>, path: string): boolean {
  if (route.exact || path.length === route.path.length) return path === route.path;
  return path.startsWith(route.path) && (route.path.endsWith('/') || path.charCodeAt(route.path.length) === 0x2f);
}

function websocketMatches(rule: WebsocketRule, websocket: boolean): boolean {
  return rule === 'any' || (rule === 'only') === websocket;
}

/** The first route in match order that accepts the request, or undefined. Paths are compared raw (not decoded). */
export function matchRoute<T>(routes: readonly CompiledRoute<T>[], request: RouteRequest): CompiledRoute<T> | undefined {
  for (const route of routes) {
    if (websocketMatches(route.websocket, request.websocket) && pathMatches(route, request.path) && hostMatches(route, request.host)) return route;
  }
  return undefined;
}

/** The path to forward: with stripPrefix the matched prefix removed (`/chat/ws` → `/ws`, `/chat` → `/`), then the query appended. */
export function forwardPath(route: CompiledRoute<unknown>, path: string, query: string): string {
  const rest = route.stripLength === 0 ? path : path.slice(route.stripLength);
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
