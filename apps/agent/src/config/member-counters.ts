import type { Health } from '@switchboard/protocol';

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
  health: Health = 'unknown';

  /** Records a successful connect. Returns true when the member was not `up` before. */
  markConnected(): boolean {
    const changed = this.health !== 'up';
    this.health = 'up';
    return changed;
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

  /** The counters of a member, created on first use. */
  countersFor(memberId: string): MemberCounters {
    let counters = this.byMember.get(memberId);
    if (!counters) {
      counters = new MemberCounters();
      this.byMember.set(memberId, counters);
    }
    return counters;
  }
}
