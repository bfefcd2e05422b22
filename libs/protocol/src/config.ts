import { z } from 'zod';
import { routeRegexProblem } from './route-regex';

/** Names of balancers: DNS-label-like, `[a-z0-9-]{1,63}`, as in ../shared/API.md. */
export const balancerName = z
  .string()
  .regex(/^[a-z0-9-]{1,63}$/, 'must match [a-z0-9-]{1,63}')
  .describe('Unique name of the balancer, [a-z0-9-]{1,63}');

/**
 * How a member is chosen for a new connection or request.
 * - `byrequests`: smooth weighted round robin (as NGINX's default and Apache's lbmethod=byrequests).
 * - `bybusyness`: fewest open tunnels plus in-flight requests divided by weight
 *   (as Apache's lbmethod=bybusyness, HAProxy's `balance leastconn`).
 * - `bytraffic`: fewest recent bytes (both directions, decaying with a 10 s half-life) divided by
 *   weight (as Apache's lbmethod=bytraffic, which does not decay).
 * - `p2c`: power of two choices: two random usable members, the less busy one by open tunnels
 *   plus in-flight requests divided by weight (as NGINX's `random two least_conn`).
 * - `hash`: weighted rendezvous hash of the key named by the balancer's `hash` setting (client IP,
 *   a header or a cookie), so adding or removing one member moves only about 1/N of keys
 *   (as HAProxy's `balance hdr()` / `source` with `hash-type consistent`).
 */
export const lbMethod = z.enum(['byrequests', 'bybusyness', 'bytraffic', 'p2c', 'hash']).meta({
  id: 'LbMethod',
  description:
    'How a member is chosen: byrequests (smooth weighted round robin), bybusyness (fewest open tunnels plus in-flight requests per weight), bytraffic (fewest recent bytes per weight), p2c (power of two choices), hash (weighted rendezvous hash of the balancer\'s hash key)',
});
export type LbMethod = z.infer<typeof lbMethod>;

/**
 * The operator's choice for a member (Apache's status flags):
 * `active` takes new traffic; `draining` (N) and `disabled` (D) take no new connections while
 * their open tunnels continue; `standby` (H, hot standby) is used only when no active member is usable.
 */
export const memberState = z.enum(['active', 'draining', 'disabled', 'standby']).meta({
  id: 'MemberState',
  description: 'active takes new traffic; draining and disabled take no new connections while open tunnels continue; standby is used only when no active member is usable',
});
export type MemberState = z.infer<typeof memberState>;

/**
 * A backend URL: `http`, `https`, `ws` or `wss`, with a host, no query or fragment, and no
 * userinfo (`user:pass@`, `user@`, an empty `@`, percent-encoded or not): member URLs are shown
 * to viewers and in every agent's `/config`, so credentials in them would leak (issue 7).
 * The authority is read from the raw text as well as from the parsed URL, because WHATWG URL
 * parsing drops an empty userinfo (`http://@host` becomes `http://host/`).
 */
export const memberUrl = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const problem = memberUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Backend URL: http, https, ws or wss, with a host, without query, fragment or credentials');

/** Why `value` is not a valid member URL, or null when it is one. */
function memberUrlProblem(value: string): string | null {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || !['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) || url.hostname === '' || url.search !== '' || url.hash !== '') {
    return 'must be an absolute http, https, ws or wss URL with a host and no query or fragment';
  }
  if (url.username !== '' || url.password !== '' || rawAuthority(value).includes('@')) {
    return 'must not contain credentials (user:password@): member URLs are shown to viewers and in the agents\' /config';
  }
  return null;
}

/** The authority of an absolute URL as written: after `scheme:` and its slashes (or backslashes), up to the path, query or fragment. */
function rawAuthority(value: string): string {
  const rest = value.trim().replace(/^[a-z][a-z0-9+.-]*:[/\\]*/i, '');
  return rest.split(/[/\\?#]/, 1)[0];
}

/** Per-balancer timeouts in milliseconds. */
export const timeouts = z
  .object({
    connectMs: z.number().int().min(1).max(600_000).describe('Time allowed to open the TCP connection to a member before trying another one (ms)'),
    tunnelIdleMs: z.number().int().min(0).max(86_400_000).describe("A tunnel with no bytes in either direction for this long is closed (HAProxy's timeout tunnel; ms); 0 = never"),
    keepAliveMs: z.number().int().min(0).max(3_600_000).describe("An idle pooled HTTP connection to a member is closed after this long (NGINX's upstream keepalive_timeout; ms); 0 = no pooling"),
    responseHeaderMs: z
      .number()
      .int()
      .min(0)
      .max(86_400_000)
      .describe(
        "Plain HTTP only (never tunnels): from the request sent (or the member holding back its body) to the member's response head (ms). Past it the client gets 504, the member connection is destroyed and a passive failure is counted (HAProxy's timeout server, NGINX's proxy_read_timeout); 0 = wait forever",
      ),
  })
  .meta({ id: 'Timeouts', description: 'Per-balancer timeouts in milliseconds' });
export type Timeouts = z.infer<typeof timeouts>;

/** Safe defaults for WebSockets: no 60 s read-timeout trap on tunnels (NGINX's proxy_read_timeout); plain HTTP answers within 60 s. */
export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 3_000, tunnelIdleMs: 3_600_000, keepAliveMs: 15_000, responseHeaderMs: 60_000 };

/** `timeouts` in a snapshot: responseHeaderMs defaults when absent, so snapshots of older control planes and older disk caches still apply. */
const snapshotTimeouts = timeouts.extend({ responseHeaderMs: timeouts.shape.responseHeaderMs.default(DEFAULT_TIMEOUTS.responseHeaderMs) });

/**
 * Per-balancer limits. `maxTunnelsPerMember` (0 = none) caps open tunnels on each member per
 * agent, as HAProxy's `maxconn` on a server: a full member is skipped, so new tunnels fail over
 * to members with room. When every usable member is full, a new tunnel waits up to
 * `queueTimeoutMs` for one to have room (HAProxy's `timeout queue`; 0 = no waiting), then gets 503.
 */
export const limits = z
  .object({
    maxTunnelsPerMember: z.number().int().min(0).max(1_000_000).describe("Open tunnels on each member per agent at most (HAProxy's maxconn on a server); 0 = no cap"),
    queueTimeoutMs: z.number().int().min(0).max(600_000).describe("When every usable member is full, how long a new tunnel waits for room before 503 (HAProxy's timeout queue; ms); 0 = no waiting"),
  })
  .meta({ id: 'Limits', description: 'Per-balancer caps on open tunnels' });
export type Limits = z.infer<typeof limits>;
export const DEFAULT_LIMITS: Limits = { maxTunnelsPerMember: 0, queueTimeoutMs: 0 };

export const failover = z
  .object({ retries: z.number().int().min(0).max(10).describe('How many other members are tried after a connect failure before answering 503') })
  .meta({ id: 'Failover', description: 'What an agent does when a member cannot be reached' });
export const DEFAULT_FAILOVER = { retries: 2 };

/**
 * Active health check run by every agent against every member of the balancer (Apache's
 * mod_proxy_hcheck, HAProxy's `check`):
 * - `http`: GET `path` (sent with the balancer's Host header rule), healthy when the status is `expectStatus`;
 * - `tcp`: healthy when a TCP (or TLS, for https/wss members) connection opens;
 * - `websocket`: a real upgrade on `path`, healthy on 101, then closed cleanly with close 1000;
 * - `none`: no active check (passive checks only).
 * A member turns `down` after `fails` failed checks in a row and `up` after `passes` good ones
 * (Apache's hcfails/hcpasses, HAProxy's fall/rise). A check not answered within `timeoutMs` fails.
 */
export const healthCheck = z
  .object({
    type: z.enum(['none', 'http', 'tcp', 'websocket']).describe('http: GET path, healthy on expectStatus; tcp: a connection opens; websocket: an upgrade on path answers 101; none: passive checks only'),
    path: z.string().regex(/^\/[^\s]*$/, 'must start with / and contain no spaces').max(1024).describe('Request path of http and websocket checks'),
    expectStatus: z.number().int().min(100).max(599).describe('Status an http check expects'),
    intervalMs: z.number().int().min(100).max(3_600_000).describe('Time between two checks of a member (ms)'),
    timeoutMs: z.number().int().min(1).max(600_000).describe('A check not answered within this fails (ms); at most intervalMs'),
    passes: z.number().int().min(1).max(100).describe('Good checks in a row that bring a member up (hcpasses, rise)'),
    fails: z.number().int().min(1).max(100).describe('Failed checks in a row that take a member down (hcfails, fall)'),
  })
  .superRefine((value, ctx) => {
    if (value.timeoutMs > value.intervalMs) ctx.addIssue({ code: 'custom', path: ['timeoutMs'], message: 'must not exceed intervalMs' });
  })
  .meta({ id: 'HealthCheck', description: "Active health check run by every agent against every member (Apache's mod_proxy_hcheck, HAProxy's check)" });
export type HealthCheck = z.infer<typeof healthCheck>;
export const DEFAULT_HEALTH_CHECK: HealthCheck = { type: 'none', path: '/', expectStatus: 200, intervalMs: 5_000, timeoutMs: 2_000, passes: 2, fails: 3 };

/**
 * Passive health: `fails` connect failures, connect timeouts or (plain HTTP) response head
 * timeouts (timeouts.responseHeaderMs) in a row mark a member `down` on that agent (HAProxy's
 * `observe layer4` with `error-limit`). Without an active check, a down
 * member gets real traffic again after `retryMs` (Apache's `retry`); with one, the check brings it back.
 */
export const passiveHealth = z
  .object({
    fails: z.number().int().min(1).max(100).describe('Connect failures, connect timeouts or response head timeouts in a row that mark a member down on an agent'),
    retryMs: z.number().int().min(0).max(3_600_000).describe('Without an active check, a down member gets real traffic again after this long (ms)'),
  })
  .meta({ id: 'PassiveHealth', description: 'Health seen from real traffic' });
export type PassiveHealth = z.infer<typeof passiveHealth>;
export const DEFAULT_PASSIVE_HEALTH: PassiveHealth = { fails: 1, retryMs: 10_000 };

/**
 * TLS towards `https`/`wss` members. Certificates are verified against the system CAs plus the
 * agent's SWITCHBOARD_UPSTREAM_CA_FILE; `insecureSkipVerify: true` turns verification off for
 * lab setups (any certificate is accepted: a man in the middle is not detected).
 * `serverName` overrides the SNI and the name checked (default: the member URL's host).
 */
export const upstreamTls = z
  .object({
    insecureSkipVerify: z.boolean().describe('True: any certificate is accepted (verification off, for labs)'),
    serverName: z.string().regex(/^[A-Za-z0-9.-]{1,253}$/, 'must be a host name').nullable().describe("SNI and name checked; null = the member URL's host"),
  })
  .meta({ id: 'UpstreamTls', description: 'TLS towards https and wss members' });
export type UpstreamTls = z.infer<typeof upstreamTls>;
export const DEFAULT_UPSTREAM_TLS: UpstreamTls = { insecureSkipVerify: false, serverName: null };

/**
 * A paced drain of a member's open tunnels, set with state `draining`. `startedAt` is the control
 * plane's wall clock (epoch ms) when the drain was asked for. Tunnels are left alone for
 * `windowMs`; then the agent closes them one by one, spread evenly until `deadlineMs`, each with a
 * WebSocket close 1001 ("going away") inserted at a frame boundary; at `deadlineMs` whatever is
 * left is closed. Plain HTTP requests in flight are not cut.
 */
export const memberDrain = z
  .object({
    startedAt: z.number().int().min(0).describe("When the drain was asked for (control plane's wall clock, epoch ms)"),
    windowMs: z.number().int().min(0).max(86_400_000).describe('Open tunnels are left alone this long after startedAt (ms)'),
    deadlineMs: z.number().int().min(0).max(86_400_000).describe('Every open tunnel is closed by this long after startedAt (ms)'),
  })
  .superRefine((value, ctx) => {
    if (value.windowMs > value.deadlineMs) ctx.addIssue({ code: 'custom', path: ['windowMs'], message: 'must not exceed deadlineMs' });
  })
  .meta({ id: 'MemberDrain', description: 'A paced drain: tunnels closed with 1001, spread evenly between window and deadline' });
export type MemberDrain = z.infer<typeof memberDrain>;

/**
 * A rebalance asked for at `requestedAt` (control plane epoch ms; a new value starts a new one):
 * each agent closes tunnels on members above their fair share (open tunnels × weight ÷ total
 * weight of the usable members of the lowest usable lbset) by more than `tolerance` (a fraction:
 * 0.1 = 10 %), with close 1012 ("service restart") at a frame boundary, at most
 * `closesPerSecond` per agent, until every member is within the tolerance.
 */
export const rebalance = z
  .object({
    requestedAt: z.number().int().min(0).describe("When it was asked for (control plane's wall clock, epoch ms); a new value starts a new rebalance"),
    tolerance: z.number().min(0).max(10).describe('Fraction above fair share that is left alone (0.1 = 10 %)'),
    closesPerSecond: z.number().int().min(1).max(10_000).describe('Tunnels closed per second at most, per agent'),
  })
  .meta({ id: 'Rebalance', description: 'Agents close tunnels (1012) on members above their fair share until every member is within the tolerance' });
export type Rebalance = z.infer<typeof rebalance>;
export const DEFAULT_REBALANCE = { tolerance: 0.1, closesPerSecond: 10 };

/** One backend server of a balancer, as the agent sees it. */
export const snapshotMember = z
  .object({
    id: z.string().min(1),
    url: memberUrl,
    name: z.string().max(200).nullable().describe('Display name'),
    weight: z.number().int().min(1).max(100).describe("Load factor 1–100 (Apache's loadfactor, HAProxy's weight)"),
    lbset: z.number().int().min(0).max(99).describe("Tier 0–99 (Apache's lbset): members of a higher lbset are used only when no member of a lower one is usable"),
    state: memberState,
    drain: memberDrain.nullable().describe('Set when state is draining with a deadline; null otherwise'),
  })
  .meta({ id: 'SnapshotMember', description: 'One backend server of a balancer, as the agent sees it' });
export type SnapshotMember = z.infer<typeof snapshotMember>;

/** Cookie and header names: an HTTP token (RFC 9110), at most 128 characters. */
export const httpToken = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'must be an HTTP token (letters, digits and !#$%&\'*+.^_`|~-)');

/**
 * Sticky sessions. `cookie`: the agent sets cookie `name` on HTTP answers naming the member that
 * served them and sends later requests and upgrades carrying it to that member (Apache's
 * stickysession, HAProxy's `cookie … insert`), so SockJS/socket.io long-polling followed by an
 * upgrade lands on one member. A `draining` member still takes requests bound to it; a
 * `disabled` or down one does not (Apache's N and D).
 */
export const sticky = z
  .object({ mode: z.enum(['none', 'cookie']), name: httpToken.nullable().describe('Cookie naming the member; required with mode cookie') })
  .superRefine((value, ctx) => {
    if (value.mode === 'cookie' && !value.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'is required when mode is cookie' });
  })
  .meta({ id: 'Sticky', description: "Sticky sessions: with cookie, requests and upgrades carrying the cookie go to the member that set it (Apache's stickysession)" });
export type Sticky = z.infer<typeof sticky>;
export const DEFAULT_STICKY: Sticky = { mode: 'none', name: null };
/** Cookie name used when an operator turns on cookie stickiness without naming one. */
export const DEFAULT_STICKY_COOKIE = 'SWITCHBOARD_ROUTE';

/** Key of lbmethod `hash`: the client IP, or the value of header or cookie `name` (client IP when absent). */
export const hashKey = z
  .object({ source: z.enum(['ip', 'header', 'cookie']), name: httpToken.nullable().describe('Header or cookie name; required unless source is ip') })
  .superRefine((value, ctx) => {
    if (value.source !== 'ip' && !value.name) ctx.addIssue({ code: 'custom', path: ['name'], message: `is required when source is ${value.source}` });
  })
  .meta({ id: 'HashKey', description: 'Key of lbMethod hash: the client IP, or a header or cookie value (client IP when absent)' });
export type HashKey = z.infer<typeof hashKey>;
export const DEFAULT_HASH_KEY: HashKey = { source: 'ip', name: null };

/**
 * The Host header sent to members: `keep` the client's (Apache's ProxyPreserveHost On, the
 * default), `member` the member URL's host:port (ProxyPreserveHost Off), or `set` to `value`.
 */
export const hostHeader = z
  .object({
    mode: z.enum(['keep', 'member', 'set']),
    value: z.string().regex(/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/, 'must be a host name with an optional :port').nullable().describe('Host sent with mode set'),
  })
  .superRefine((value, ctx) => {
    if (value.mode === 'set' && !value.value) ctx.addIssue({ code: 'custom', path: ['value'], message: 'is required when mode is set' });
  })
  .meta({ id: 'HostHeader', description: "Host header sent to members: keep the client's, the member URL's host:port, or set to value" });
export type HostHeader = z.infer<typeof hostHeader>;
export const DEFAULT_HOST_HEADER: HostHeader = { mode: 'keep', value: null };

export const snapshotBalancer = z
  .object({
    id: z.string().min(1),
    name: balancerName,
    lbMethod,
    sticky,
    hash: hashKey,
    slowStartMs: z.number().int().min(0).max(3_600_000).describe("A member's weight ramps up linearly over this long after it becomes usable or is added (ms); 0 = at once (HAProxy's slowstart)"),
    hostHeader,
    timeouts: snapshotTimeouts,
    limits,
    failover,
    healthCheck,
    passiveHealth,
    tls: upstreamTls,
    rebalance: rebalance.nullable().describe('The latest rebalance asked for, or null'),
    members: z.array(snapshotMember),
  })
  .meta({ id: 'SnapshotBalancer', description: 'A balancer and its members, as the agent sees it' });
export type SnapshotBalancer = z.infer<typeof snapshotBalancer>;

/** Longest regular expression accepted in a route (characters). */
export const MAX_ROUTE_REGEX = 512;

/**
 * Route match: `prefix` matches the path and anything below it at a `/` boundary; `exact` the
 * path alone; `regex` a regular expression in RE2 syntax (https://github.com/google/re2/wiki/Syntax)
 * tested against the normalised path (without the query), as Apache's ProxyPassMatch. RE2 runs
 * in time linear in the path, so it has no backreferences, lookaround or possessive quantifiers;
 * those are refused by name, and so is a pattern above MAX_ROUTE_REGEX_PROGRAM. With
 * stripPrefix, a regex match that starts at the beginning of the path is removed before forwarding.
 */
export const routeMatch = z
  .object({
    type: z.enum(['prefix', 'exact', 'regex']).describe('prefix: the path and anything below it at a / boundary; exact: the path alone; regex: an RE2 expression tested against the normalised path'),
    path: z.string().min(1).max(1024),
  })
  .superRefine((match, ctx) => {
    if (match.type !== 'regex') {
      if (!match.path.startsWith('/')) ctx.addIssue({ code: 'custom', path: ['path'], message: 'must start with /' });
      return;
    }
    if (match.path.length > MAX_ROUTE_REGEX) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: `must be at most ${MAX_ROUTE_REGEX} characters` });
      return;
    }
    const problem = routeRegexProblem(match.path);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['path'], message: problem });
  })
  .meta({ id: 'RouteMatch', description: 'What a route matches: a path prefix, an exact path, or an RE2 regular expression' });
export type RouteMatch = z.infer<typeof routeMatch>;

/** `only` sends only WebSocket upgrades, `never` only plain HTTP (the seeds' RewriteCond on Upgrade). */
export const routeWebsocket = z
  .enum(['any', 'only', 'never'])
  .meta({ id: 'RouteWebsocket', description: 'only: WebSocket upgrades alone; never: plain HTTP alone; any: both' });

/** Host names: exact (`chat.example.com`) or one leading wildcard label (`*.example.com`). */
export const routeHost = z
  .string()
  .regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be a lower-case host name, optionally starting with *.')
  .describe('Host name, exact or with one leading wildcard label (*.example.com)');

export const snapshotRoute = z
  .object({
    id: z.string().min(1),
    balancerId: z.string().min(1),
    priority: z.number().int().min(-1000).max(1000).describe('Higher priority wins; among equal priorities the longest path wins'),
    host: routeHost.nullable(),
    match: routeMatch,
    websocket: routeWebsocket,
    stripPrefix: z.boolean().describe('Remove the matched prefix before forwarding (/chat/ws → /ws)'),
    enabled: z.boolean(),
  })
  .meta({ id: 'SnapshotRoute', description: 'Which requests go to which balancer' });
export type SnapshotRoute = z.infer<typeof snapshotRoute>;

/**
 * The whole configuration served by agents at one revision. Checked for consistency (unique ids
 * and names, every route names an existing balancer) before a control plane publishes it and
 * before an agent applies it, as go-control-plane's Snapshot.Consistent().
 */
export const snapshotConfig = z
  .object({
    balancers: z.array(snapshotBalancer),
    routes: z.array(snapshotRoute),
  })
  .superRefine((config, ctx) => {
    const balancerIds = new Set<string>();
    const names = new Set<string>();
    const memberIds = new Set<string>();
    config.balancers.forEach((balancer, i) => {
      if (balancerIds.has(balancer.id)) ctx.addIssue({ code: 'custom', path: ['balancers', i, 'id'], message: `duplicate balancer id ${balancer.id}` });
      if (names.has(balancer.name)) ctx.addIssue({ code: 'custom', path: ['balancers', i, 'name'], message: `duplicate balancer name ${balancer.name}` });
      balancerIds.add(balancer.id);
      names.add(balancer.name);
      balancer.members.forEach((member, j) => {
        if (memberIds.has(member.id)) ctx.addIssue({ code: 'custom', path: ['balancers', i, 'members', j, 'id'], message: `duplicate member id ${member.id}` });
        memberIds.add(member.id);
      });
    });
    const routeIds = new Set<string>();
    config.routes.forEach((route, i) => {
      if (routeIds.has(route.id)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'id'], message: `duplicate route id ${route.id}` });
      routeIds.add(route.id);
      if (!balancerIds.has(route.balancerId)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'balancerId'], message: `unknown balancer ${route.balancerId}` });
    });
  })
  .meta({ id: 'SnapshotConfig', description: 'The whole configuration served by agents at one revision' });
export type SnapshotConfig = z.infer<typeof snapshotConfig>;

/** A configuration at one revision, with the sha256 hex of its canonical JSON (see hashConfig). */
export const snapshot = z.object({
  revision: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest'),
  config: snapshotConfig,
});
export type Snapshot = z.infer<typeof snapshot>;
