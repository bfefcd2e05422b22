import type { Health } from '@switchboard/protocol';

/** A monotonic clock in milliseconds (performance.now in production; tests pass a fake one). */
export type Clock = () => number;
export const monotonicClock: Clock = () => performance.now();

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
 * Health is passive only: `up` after a successful connect, `down` after a failed one.
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

  /** Records a successful connect. Returns true when the member was not `up` before; after `down`, slow start begins. */
  markConnected(): boolean {
    const changed = this.health !== 'up';
    if (this.health === 'down') this.usableSince = this.clock();
    this.health = 'up';
    return changed;
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
    const total = this.bytesIn + this.bytesOut;
    this.traffic += total - this.trafficSeen;
    this.trafficSeen = total;
    return this.traffic;
  }

  /** Records a failed connect. Returns true when the member was not `down` before. */
  markFailure(): boolean {
    this.failures += 1;
    const changed = this.health !== 'down';
    this.health = 'down';
    return changed;
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
