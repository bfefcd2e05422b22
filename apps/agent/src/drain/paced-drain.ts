import type { MemberDrain } from '@switchboard/protocol';
import type { Logger } from 'pino';
import type { MemberCounters } from '../config/member-counters';
import type { RuntimeConfig } from '../config/runtime';
import { CLOSE_GOING_AWAY } from '../proxy/frames';
import { closeOldestTunnel } from './close-tunnel';

/** Shortest wait between two rounds of closes (ms): when closes are due more often, each round closes several. */
const MIN_STEP_MS = 10;

/**
 * One member's paced drain on this agent's wall clock: nothing for `windowMs` after `startedAt`
 * (taken as now when the control plane's clock is ahead of ours), then the member's open tunnels
 * closed one by one with close 1001, spread evenly over the time left until `startedAt +
 * deadlineMs` (recomputed at each close, so tunnels that leave by themselves slow it down), and
 * whatever is left at the deadline closed at once. Like HAProxy's `shutdown sessions` after a
 * grace period, but paced so the clients do not all reconnect at the same moment.
 */
class PacedDrain {
  private timer: NodeJS.Timeout | undefined;
  private readonly windowEnd: number;
  private readonly deadline: number;
  private started = false;

  constructor(
    private readonly memberId: string,
    readonly drain: MemberDrain,
    private readonly counters: MemberCounters,
    private readonly logger: Logger,
  ) {
    const startedAt = Math.min(drain.startedAt, Date.now());
    this.windowEnd = startedAt + drain.windowMs;
    this.deadline = startedAt + drain.deadlineMs;
    this.schedule(this.windowEnd - Date.now());
  }

  /** Whether this is the drain `drain` describes (same start, window and deadline). */
  follows(drain: MemberDrain): boolean {
    return drain.startedAt === this.drain.startedAt && drain.windowMs === this.drain.windowMs && drain.deadlineMs === this.drain.deadlineMs;
  }

  /** False once the deadline has passed (everything left was closed) or after stop. */
  get running(): boolean {
    return this.timer !== undefined;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.step(), Math.max(0, delayMs)).unref();
  }

  private step(): void {
    const now = Date.now();
    if (now < this.windowEnd) return this.schedule(this.windowEnd - now);
    const open = this.counters.tunnels.size;
    const left = this.deadline - now;
    if (!this.started) {
      this.started = true;
      this.logger.info({ memberId: this.memberId, tunnels: open, deadlineInMs: Math.max(0, left) }, 'drain closing tunnels');
    }
    if (left <= 0) {
      let closed = 0;
      while (closeOldestTunnel(this.counters, CLOSE_GOING_AWAY)) closed += 1;
      this.logger.info({ memberId: this.memberId, closed }, 'drain deadline reached');
      this.timer = undefined;
      return;
    }
    if (open === 0) return this.schedule(left);
    // One close every left/open ms; when that is shorter than MIN_STEP_MS, several per round.
    const closes = Math.ceil((MIN_STEP_MS * open) / left);
    for (let i = 0; i < closes; i++) if (!closeOldestTunnel(this.counters, CLOSE_GOING_AWAY)) break;
    this.schedule(Math.max(MIN_STEP_MS, left / open));
  }
}

/**
 * The paced drains of this agent, one per member whose snapshot state is `draining` with a
 * `drain`, keyed by member id (so tunnels opened under older snapshots are drained too). A drain
 * that a new snapshot changes starts over; one it removes (member active again, or `drain`
 * null) stops closing; a finished one is kept, so it does not start again with the next snapshot.
 */
export class DrainScheduler {
  private readonly drains = new Map<string, PacedDrain>();

  constructor(private readonly logger: Logger) {}

  /** Starts, keeps or stops drains to match a newly applied configuration. */
  apply(runtime: RuntimeConfig): void {
    const wanted = new Map<string, { drain: MemberDrain; counters: MemberCounters }>();
    for (const balancer of runtime.balancers) {
      for (const member of balancer.members) if (member.state === 'draining' && member.drain) wanted.set(member.id, { drain: member.drain, counters: member.counters });
    }
    for (const [memberId, drain] of this.drains) {
      const next = wanted.get(memberId);
      if (next && drain.follows(next.drain)) continue;
      if (!next && drain.running) this.logger.info({ memberId }, 'drain stopped');
      drain.stop();
      this.drains.delete(memberId);
    }
    for (const [memberId, { drain, counters }] of wanted) {
      if (!this.drains.has(memberId)) this.drains.set(memberId, new PacedDrain(memberId, drain, counters, this.logger));
    }
  }

  /** Stops every drain (shutdown). */
  stop(): void {
    for (const drain of this.drains.values()) drain.stop();
    this.drains.clear();
  }
}
