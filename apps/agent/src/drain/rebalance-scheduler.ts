import type { Rebalance } from '@switchboard/protocol';
import type { Logger } from 'pino';
import type { RuntimeBalancer, RuntimeConfig } from '../config/runtime';
import { CLOSE_SERVICE_RESTART } from '../proxy/frames';
import { closeOldestTunnel } from './close-tunnel';
import { mostAboveShare, usableTunnels } from './fair-share';

/** Shortest wait between two rounds of closes (ms): above 1000 / MIN_ROUND_MS closes per second, each round closes several. */
const MIN_ROUND_MS = 20;

/**
 * One rebalance of one balancer on this agent: rounds of closes (close 1012), each closing a
 * tunnel of the member furthest above its fair share (see mostAboveShare), re-evaluated after
 * every close against the balancer then served (so tunnels moving, members added or going down
 * count), at most `closesPerSecond`, until every usable member is within the tolerance. The
 * clients reconnect and the lbmethod places them (bybusyness or p2c fill the emptier members
 * first). It closes at most as many tunnels as the balancer had on its usable members when it
 * started, so clients that come back to the same member (lbmethod `hash`, a sticky cookie) are
 * not churned forever.
 */
class RebalanceRun {
  private timer: NodeJS.Timeout | undefined;
  private readonly roundMs: number;
  private readonly perRound: number;
  private readonly budget: number;
  private closed = 0;

  constructor(
    private readonly balancerId: string,
    private readonly rebalance: Rebalance,
    private readonly balancerById: (id: string) => RuntimeBalancer | undefined,
    private readonly logger: Logger,
  ) {
    this.roundMs = Math.max(1_000 / rebalance.closesPerSecond, MIN_ROUND_MS);
    this.perRound = Math.max(1, Math.floor((rebalance.closesPerSecond * this.roundMs) / 1_000));
    const balancer = balancerById(balancerId);
    this.budget = balancer ? usableTunnels(balancer) : 0;
    logger.info({ balancerId, tunnels: this.budget, tolerance: rebalance.tolerance, closesPerSecond: rebalance.closesPerSecond }, 'rebalance started');
    this.round();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private round(): void {
    const balancer = this.balancerById(this.balancerId);
    for (let i = 0; i < this.perRound; i++) {
      if (!balancer) return this.finish('balancer removed');
      const member = mostAboveShare(balancer, this.rebalance.tolerance);
      if (!member) return this.finish('balanced');
      if (this.closed >= this.budget) return this.finish('close budget spent');
      closeOldestTunnel(member.counters, CLOSE_SERVICE_RESTART);
      this.closed += 1;
    }
    this.timer = setTimeout(() => this.round(), this.roundMs).unref();
  }

  private finish(outcome: 'balanced' | 'close budget spent' | 'balancer removed'): void {
    this.timer = undefined;
    this.logger.info({ balancerId: this.balancerId, closed: this.closed, outcome }, 'rebalance finished');
  }
}

/**
 * The rebalances of this agent, one per balancer: a balancer whose `rebalance.requestedAt`
 * differs from the last one this agent handled starts one (replacing a run still going for it);
 * the same `requestedAt` in later snapshots does not start it again.
 */
export class RebalanceScheduler {
  private readonly handled = new Map<string, number>();
  private readonly runs = new Map<string, RebalanceRun>();

  /**
   * `balancerById` reads the balancer as served now (runs re-evaluate against it). `rateShare`
   * is this process's part of the agent's `closesPerSecond` (1 ÷ SWITCHBOARD_WORKERS).
   */
  constructor(
    private readonly balancerById: (id: string) => RuntimeBalancer | undefined,
    private readonly logger: Logger,
    private readonly rateShare = 1,
  ) {}

  /** Starts a rebalance for each balancer of a newly applied configuration with a new `requestedAt`. */
  apply(runtime: RuntimeConfig): void {
    for (const balancer of runtime.balancers) {
      const asked = balancer.rebalance;
      if (!asked || this.handled.get(balancer.id) === asked.requestedAt) continue;
      this.handled.set(balancer.id, asked.requestedAt);
      this.runs.get(balancer.id)?.stop();
      const pace = { ...asked, closesPerSecond: asked.closesPerSecond * this.rateShare };
      this.runs.set(balancer.id, new RebalanceRun(balancer.id, pace, this.balancerById, this.logger));
    }
  }

  /** Stops every run (shutdown). */
  stop(): void {
    for (const run of this.runs.values()) run.stop();
    this.runs.clear();
  }
}
