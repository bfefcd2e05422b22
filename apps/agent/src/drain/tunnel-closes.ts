import type { Logger } from 'pino';
import type { ConfigState } from '../config/config-state';
import { DrainScheduler } from './paced-drain';
import { RebalanceScheduler } from './rebalance-scheduler';

/**
 * What the agent closes of its open tunnels on its own: paced member drains (close 1001) and
 * balancer rebalances (close 1012), planned again on every configuration applied.
 */
export class TunnelCloses {
  private readonly drains: DrainScheduler;
  private readonly rebalances: RebalanceScheduler;

  /** `rateShare`: this process's part of a rebalance's closesPerSecond (1 ÷ workers; each worker closes its own tunnels). */
  constructor(
    private readonly state: ConfigState,
    logger: Logger,
    rateShare = 1,
  ) {
    this.drains = new DrainScheduler(logger);
    this.rebalances = new RebalanceScheduler((id) => state.current?.runtime.balancers.find((balancer) => balancer.id === id), logger, rateShare);
  }

  /** Call after a configuration was applied (not when a snapshot was unchanged or rejected). */
  apply(): void {
    const runtime = this.state.current?.runtime;
    if (!runtime) return;
    this.drains.apply(runtime);
    this.rebalances.apply(runtime);
  }

  /** Stops every drain and rebalance (shutdown): tunnels being closed finish their close handshake. */
  stop(): void {
    this.drains.stop();
    this.rebalances.stop();
  }
}
