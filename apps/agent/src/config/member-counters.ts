import { DEFAULT_PASSIVE_HEALTH } from '@switchboard/protocol';
import type { Health } from '@switchboard/protocol';

/** A monotonic clock in milliseconds (performance.now in production; tests pass a fake one). */
export type Clock = () => number;
export const monotonicClock: Clock = () => performance.now();

/**
 * How passive health treats a member, from its balancer: `fails` connect failures (or response head timeouts) in a row mark
 * it down (HAProxy's `observe layer4` + `error-limit`); without an active check it gets real
 * traffic again `retryMs` after (Apache's `retry`); with one (`checked`), only the check brings
 * it back up and `retryMs` is Infinity.
 */
export interface PassiveRule {
  readonly fails: number;
  readonly retryMs: number;
  readonly checked: boolean;
}

/** The protocol's default passiveHealth (one failure marks down, retried after 10 s), no active check. */
export const DEFAULT_PASSIVE_RULE: PassiveRule = { ...DEFAULT_PASSIVE_HEALTH, checked: false };

/** Longest health reason kept, in characters (the protocol's limit on memberStats.healthReason). */
const MAX_HEALTH_REASON = 500;

/** Half-life of the recent traffic `bytraffic` compares, in milliseconds. */
export const TRAFFIC_HALF_LIFE_MS = 10_000;

/** The last decay factor computed: the members of one pick share their elapsed time, so one Math.pow serves them all. */
let decayElapsed = 0;
let decayFactor = 1;

/** 2^(-elapsed / TRAFFIC_HALF_LIFE_MS). */
function trafficDecay(elapsed: number): number {
  if (elapsed !== decayElapsed) {
    decayElapsed = elapsed;
    decayFactor = Math.pow(2, -elapsed / TRAFFIC_HALF_LIFE_MS);
  }
  return decayFactor;
}

/** An open tunnel (past its member's 101) that a paced drain or a rebalance may close. */
export interface ClosableTunnel {
  /** Closes it with WebSocket close `code` (1001 drain, 1012 rebalance) at a frame boundary in both directions. */
  closeByAgent(code: 1001 | 1012): void;
}

/**
 * Live figures of one member on this agent. Counters (elected, bytes, failures) are cumulative
 * since the process started; gauges (openTunnels, inflightRequests) are what is open now.
 * Health comes from passive health (markConnected, markFailure) and active checks (health/,
 * through setHealth), with the reason it is down.
 */
export class MemberCounters {
  /** WebSocket tunnels open now. */
  openTunnels = 0;
  /** Tunnels being connected now (chosen, not yet open): busy for bybusyness, not yet in openTunnels. */
  connectingTunnels = 0;
  /** HTTP requests being proxied now. */
  inflightRequests = 0;
  /** Times the member was chosen for a connection or request. */
  elected = 0;
  /** Bytes sent to the member. */
  bytesIn = 0;
  /** Bytes received from the member. */
  bytesOut = 0;
  /** Failed attempts to connect to the member. */
  failures = 0;
  /** Open tunnels closed by a paced drain or a rebalance (close 1001/1012). */
  closedByAgent = 0;
  /** Tunnels open now whose 101 passed and that the agent is not closing already, oldest first (for drain and rebalance). */
  readonly tunnels = new Set<ClosableTunnel>();
  health: Health = 'unknown';
  /** Why the member is down (`http check: status 500`, `3 connect failures: ECONNREFUSED`); null when it is not. */
  healthReason: string | null = null;
  /** When the member last turned down, or last failed a connect while down (clock ms): passive retryMs counts from here. */
  downSince = -Infinity;
  /** Failed connects in a row, reset by a successful one (passive health). */
  connectFailures = 0;
  /**
   * With SWITCHBOARD_WORKERS > 1, what the agent's other workers hold on this member (from the
   * primary, at most a few tens of ms old): open + connecting tunnels + in-flight requests,
   * open + connecting tunnels, and cumulative bytes both ways. 0 in a single process.
   */
  peerBusy = 0;
  peerTunnels = 0;
  peerBytes = 0;
  /**
   * When the member last became usable (clock ms): added by a snapshot, made active again, or
   * seen up after down. Slow start ramps its weight up from here; -Infinity = never (full weight).
   */
  usableSince = -Infinity;
  /** Recent traffic (bytes, decayed) as of `trafficAt`, and the cumulative byte count it includes. */
  private traffic = 0;
  private trafficSeen = 0;
  private trafficAt: number;

  constructor(private readonly clock: Clock = monotonicClock) {
    this.trafficAt = clock();
  }

  /**
   * Records a successful connect: the failure streak restarts and the member is `up`, except a
   * down one under an active check (only the check brings it back). Returns true when health changed.
   */
  markConnected(rule: PassiveRule = DEFAULT_PASSIVE_RULE): boolean {
    this.connectFailures = 0;
    if (this.health === 'down' && rule.checked) return false;
    return this.setHealth('up', null);
  }

  /**
   * Sets health and its reason (null unless down). Returns true when health changed: down → up
   * starts slow start, → down starts the passive retry delay. A down member keeps down, with the new reason.
   */
  setHealth(health: 'up' | 'down', reason: string | null): boolean {
    const previous = this.health;
    this.healthReason = reason === null ? null : reason.slice(0, MAX_HEALTH_REASON);
    if (previous === health) return false;
    this.health = health;
    if (health === 'down') this.downSince = this.clock();
    else if (previous === 'down') this.usableSince = this.clock();
    return true;
  }

  /**
   * Bytes in both directions, each halved every TRAFFIC_HALF_LIFE_MS, as of `now` (clock ms):
   * updated lazily from the cumulative counters when asked (bytes counted since the last call
   * enter at full value). What `bytraffic` compares.
   */
  recentTraffic(now: number): number {
    const elapsed = now - this.trafficAt;
    if (elapsed > 0) {
      this.traffic *= trafficDecay(elapsed);
      this.trafficAt = now;
    }
    const total = this.bytesIn + this.bytesOut + this.peerBytes;
    this.traffic += Math.max(0, total - this.trafficSeen);
    this.trafficSeen = total;
    return this.traffic;
  }

  /**
   * Records a failed connect (refused, timed out, TLS handshake) with its error code, or another
   * failed `step` (`response`: no response head within timeouts.responseHeaderMs): the member
   * turns down at the rule's `fails` in a row, with reason `connect ECONNREFUSED` or
   * `3 connect failures: ECONNREFUSED`; one already down restarts its retry delay. Returns true
   * when health changed.
   */
  markFailure(code = 'unknown error', rule: PassiveRule = DEFAULT_PASSIVE_RULE, step: 'connect' | 'response' = 'connect'): boolean {
    this.failures += 1;
    this.connectFailures += 1;
    if (this.health === 'down') {
      this.downSince = this.clock();
      return false;
    }
    if (this.connectFailures < rule.fails) return false;
    const count = this.connectFailures;
    return this.setHealth('down', count === 1 ? `${step} ${code}` : `${count} ${step} failures: ${code}`);
  }
}

/**
 * Counters keyed by member id, so they survive snapshots: a member that is changed, moved or
 * removed and added again keeps its figures, and tunnels opened under an old snapshot keep
 * updating the same object.
 */
export class CounterRegistry {
  private readonly byMember = new Map<string, MemberCounters>();

  /** `clock` times slow start and traffic decay (tests pass a fake one). */
  constructor(readonly clock: Clock = monotonicClock) {}

  /** The counters of a member, created on first use. */
  countersFor(memberId: string): MemberCounters {
    let counters = this.byMember.get(memberId);
    if (!counters) {
      counters = new MemberCounters(this.clock);
      this.byMember.set(memberId, counters);
    }
    return counters;
  }
}
