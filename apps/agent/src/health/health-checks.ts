import type { Logger } from 'pino';
import type { RuntimeConfig, RuntimeMember } from '../config/runtime';
import { MemberChecker, checkPlan } from './member-checker';
import type { CheckPlan } from './member-checker';

/**
 * The agent's active health checks (Apache's mod_proxy_hcheck, HAProxy's `check`): one
 * MemberChecker per member of every balancer whose check type is not `none`, keyed by member id.
 * reconcile, on every configuration applied, starts checks for new members, restarts those
 * whose check settings, URL or Host changed (streaks start over; health is kept), stops those
 * of members removed or no longer checked, and leaves the others running with their streaks.
 * A new checker's first check comes after a random part of its interval, so many members do not
 * fire in lockstep.
 */
export class HealthChecks {
  private readonly checkers = new Map<string, MemberChecker>();

  /** `onChange` hears of every health change a check makes (the primary passes it on to its workers). */
  constructor(
    private readonly logger: Logger,
    private readonly onChange?: (member: RuntimeMember) => void,
  ) {}

  reconcile(runtime: RuntimeConfig): void {
    const plans = new Map<string, CheckPlan>();
    for (const balancer of runtime.balancers) {
      const type = balancer.healthCheck.type;
      if (type === 'none') continue;
      for (const member of balancer.members) plans.set(member.id, checkPlan(member, balancer.healthCheck, type));
    }
    for (const [memberId, checker] of this.checkers) {
      if (plans.get(memberId)?.key === checker.plan.key) continue;
      checker.stop();
      this.checkers.delete(memberId);
    }
    for (const [memberId, plan] of plans) {
      if (this.checkers.has(memberId)) continue;
      const checker = new MemberChecker(plan, this.logger, this.onChange);
      this.checkers.set(memberId, checker);
      checker.start(Math.floor(Math.random() * plan.check.intervalMs));
    }
  }

  /** Stops every check (agent shutdown); checks in flight are cancelled. */
  stop(): void {
    for (const checker of this.checkers.values()) checker.stop();
    this.checkers.clear();
  }
}
