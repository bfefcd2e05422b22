import { explainRoute, routesInMatchOrder, type ExplainRequest, type RouteExplanation, type RouteVerdict, type RoutingConfig, type SnapshotRoute } from '@switchboard/protocol';
import { withDraft, type CheckedDraft, type FieldIssue } from './route-form';

/** The tester's inputs as typed: a URL or a path, the Host for a bare path, the upgrade toggle. */
export interface TesterInput {
  url: string;
  host: string;
  upgrade: boolean;
}

/** `scheme://authority` then the rest of an absolute URL, the authority as a client reads it (up to `/`, `?` or `#`). */
const ABSOLUTE_URL = /^(https?|wss?):\/\/([^/?#]*)(.*)$/i;

/**
 * The request a client would send for the tester's input, or why there is none (null for an
 * empty input). A URL gives the Host header (its authority, without user information) and the
 * target (its path and query byte for byte, `/` when empty; the fragment is never sent);
 * `ws://` and `wss://` are upgrades. A bare path (starting with `/`) is the target as sent,
 * with `host` as the Host header. Nothing is decoded or normalised here: explainRoute does
 * that exactly as the agent does.
 */
export function testerRequest(input: TesterInput): ExplainRequest | { error: string } | null {
  const text = input.url.trim();
  if (text === '') return null;
  const url = ABSOLUTE_URL.exec(text);
  if (url) {
    const [, scheme, authority, rest] = url;
    const target = rest.split('#', 1)[0];
    return {
      host: authority.slice(authority.lastIndexOf('@') + 1),
      path: target.startsWith('/') ? target : `/${target}`,
      upgrade: input.upgrade || scheme.toLowerCase().startsWith('ws'),
    };
  }
  if (text.startsWith('/')) return { host: input.host.trim(), path: text, upgrade: input.upgrade };
  return { error: 'Enter a URL (http://host/path, ws://host/path) or a path starting with /.' };
}

/** Why a route did or did not take the tested request, in a few words. */
export function verdictText(route: SnapshotRoute, verdict: RouteVerdict): string {
  switch (verdict) {
    case 'matched':
      return 'takes it';
    case 'shadowed':
      return 'would match, but a route before it takes it';
    case 'disabled':
      return 'disabled';
    case 'no balancer':
      return 'its balancer is gone';
    case 'websocket':
      return route.websocket === 'only' ? 'WebSocket upgrades only' : 'plain HTTP only (no upgrades)';
    case 'host':
      return `host is not ${route.host ?? 'any'}`;
    case 'path':
      return `path does not match ${route.match.type} ${route.match.path}`;
  }
}

/** A route's match in one line: "prefix /chat", "regex ^/api/v[0-9]+/". */
export function matchText(route: Pick<SnapshotRoute, 'match'>): string {
  return `${route.match.type} ${route.match.path}`;
}

/** The verdict of each route of an explanation by route id; empty without one or for a refused target. */
export function verdictsById(explained: RouteExplanation | null): Map<string, RouteVerdict> {
  if (!explained || explained.outcome === 'refused') return new Map();
  return new Map(explained.routes.map((r) => [r.route.id, r.verdict]));
}

/** `rows` in the order agents try them under `config` (routesInMatchOrder); rows the configuration lacks keep their order, last. */
export function inMatchOrder<T extends { id: string }>(rows: readonly T[], config: RoutingConfig): T[] {
  const rank = new Map(routesInMatchOrder(config).map((r, i) => [r.id, i]));
  const rankOf = (row: T) => rank.get(row.id) ?? Number.MAX_SAFE_INTEGER;
  return [...rows].sort((a, b) => rankOf(a) - rankOf(b));
}

/** The tester's answers: for the saved routes, and with the draft in place while a route is being edited. */
export interface TesterAnswers {
  /** Why the input is no request, or null. */
  inputError: string | null;
  /** null while there is nothing to test. */
  saved: RouteExplanation | null;
  /** null without a draft or a request; the draft's field errors when it breaks the API's rules (it is not tested then). */
  draft: { readonly explained: RouteExplanation } | { readonly errors: readonly FieldIssue[] } | null;
}

/**
 * Runs the tester: the input as a request (testerRequest) through explainRoute on the saved
 * configuration and, when a route is being edited and passes the API's rules, on the
 * configuration with the draft in place (withDraft).
 */
export function runTester(config: RoutingConfig, input: TesterInput, draft: CheckedDraft | null): TesterAnswers {
  const request = testerRequest(input);
  if (request === null || 'error' in request) return { inputError: request?.error ?? null, saved: null, draft: null };
  const saved = explainRoute(config, request);
  if (draft === null) return { inputError: null, saved, draft: null };
  return { inputError: null, saved, draft: 'errors' in draft ? draft : { explained: explainRoute(withDraft(config, draft.route), request) } };
}
