import type { CompiledRoute, HashKey, HealthCheck, LbMethod, MemberDrain, MemberState, Rebalance, Timeouts } from '@switchboard/protocol';
import type { Candidates, MemberPicker } from '../balancing/pickers';
import type { UpstreamTlsOptions } from '../tls/upstream-tls';
import type { Clock, MemberCounters, PassiveRule } from './member-counters';

/** Where connections to a member go, parsed once per snapshot from its URL. */
export interface UpstreamTarget {
  /** TLS for `https` and `wss` members. */
  readonly secure: boolean;
  /** Host name or IP address (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** The member URL's path without its trailing `/` (`''` for `/`), put before every forwarded path. */
  readonly basePath: string;
  /** For secure targets: trust, SNI and verification (balancer `tls`), spread into every connect; null for plain ones. */
  readonly tls: UpstreamTlsOptions | null;
}

/** A member as the proxy uses it: the snapshot's fields plus its target and live counters. */
export interface RuntimeMember {
  readonly id: string;
  readonly balancerId: string;
  readonly url: string;
  /** Position in its balancer's `members`. */
  readonly index: number;
  /** 1–100: the configured weight (slow start may use less, see effectiveWeight). */
  readonly weight: number;
  /** Tier 0–99: a higher lbset is used only when no member of a lower one is usable. */
  readonly lbset: number;
  readonly state: MemberState;
  /** The paced drain of its open tunnels (with state `draining`), or null. */
  readonly drain: MemberDrain | null;
  readonly target: UpstreamTarget;
  readonly counters: MemberCounters;
  /** Value of the sticky cookie naming this member (12 hex of sha1(id)); '' when the balancer is not sticky. */
  readonly routeToken: string;
  /** The Set-Cookie value binding a client to this member (`<name>=<routeToken>; Path=/; HttpOnly; SameSite=Lax`); '' when not sticky. */
  readonly setCookie: string;
  /** 32-bit hash of the member id, mixed with the request key by lbmethod `hash`. */
  readonly hashSeed: number;
  /** The Host header sent to this member (balancer `hostHeader` `member` or `set`), or null to keep the client's. */
  readonly hostHeader: string | null;
  /** The member URL's origin as an HTTP one (`ws:` → `http:`, default port omitted), to recognise its own absolute Location URLs. */
  readonly origin: string;
  /** Passive health of its balancer (one object per balancer): failures that mark it down, retry delay, whether an active check runs. */
  readonly passive: PassiveRule;
}

/** A balancer of the applied snapshot with its member picker (state rebuilt per snapshot). */
export interface RuntimeBalancer {
  readonly id: string;
  readonly name: string;
  readonly lbMethod: LbMethod;
  readonly timeouts: Timeouts;
  /** The active health check run against every member (type `none`: passive health only). */
  readonly healthCheck: HealthCheck;
  /** How many other members are tried after a connect failure. */
  readonly retries: number;
  /** Open + connecting tunnels a member may have on this agent before new tunnels skip it; 0 = no limit (HTTP requests never count). */
  readonly maxTunnelsPerMember: number;
  /** How long a new tunnel waits for room when every usable member is full (ms, HAProxy's `timeout queue`); 0 = 503 at once. */
  readonly queueTimeoutMs: number;
  readonly members: readonly RuntimeMember[];
  readonly picker: MemberPicker;
  /** Weight ramp-up after a member becomes usable (ms); 0 = off. */
  readonly slowStartMs: number;
  /** Name of the sticky cookie, or null when the balancer is not sticky. */
  readonly stickyCookie: string | null;
  /** Members by routeToken (empty when not sticky). */
  readonly byRouteToken: ReadonlyMap<string, RuntimeMember>;
  /** Key of lbmethod `hash`; a header name is lower-cased. */
  readonly hashKey: HashKey;
  /** Whether a pick needs the clock (slow start or bytraffic). */
  readonly usesClock: boolean;
  readonly clock: Clock;
  /** The latest rebalance asked for (a new `requestedAt` starts one), or null. */
  readonly rebalance: Rebalance | null;
  /** Scratch space of selectMember, reused by every pick of this balancer (picks are synchronous). */
  readonly candidates: Candidates;
}

/** Everything the hot path reads, compiled once per snapshot and replaced as a whole. */
export interface RuntimeConfig {
  readonly balancers: readonly RuntimeBalancer[];
  /** Enabled routes, already in match order. */
  readonly routes: readonly CompiledRoute<RuntimeBalancer>[];
}
