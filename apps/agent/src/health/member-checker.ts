import type { HealthCheck } from '@switchboard/protocol';
import type { Logger } from 'pino';
import type { RuntimeMember } from '../config/runtime';
import type { CheckRun, CheckSpec, CheckType } from './check-run';
import { CheckStreak } from './check-streak';
import { startCheck } from './probes';

/** What one member's checks are: the member, its balancer's check settings, and the spec derived from both. */
export interface CheckPlan {
  readonly member: RuntimeMember;
  readonly check: HealthCheck;
  readonly spec: CheckSpec;
  /** Equal keys mean the same checks: a checker is kept across snapshots while its key stays the same. */
  readonly key: string;
}

/**
 * The checks of a member whose balancer has a check of `type`: Host per the balancer's hostHeader
 * rule (`member`/`set`), else the member URL's `host[:port]`; path under the member URL's own
 * path, as Apache's hcuri is appended to the worker URL.
 */
export function checkPlan(member: RuntimeMember, check: HealthCheck, type: CheckType): CheckPlan {
  const spec: CheckSpec = {
    type,
    target: member.target,
    host: member.hostHeader ?? new URL(member.origin).host,
    path: member.target.basePath + check.path,
    expectStatus: check.expectStatus,
    timeoutMs: check.timeoutMs,
  };
  return { member, check, spec, key: JSON.stringify([member.balancerId, member.url, spec.host, check, tlsKey(member)]) };
}

/**
 * Runs one member's checks, one at a time: the first after `delayMs` (start), then each
 * `intervalMs` after the previous one started (at once if it took longer). Each result goes
 * through the member's CheckStreak; a change is logged once, `member down` (warn) or `member up`
 * (info), with the reason. Timers are unref'd; stop cancels the check in flight.
 */
export class MemberChecker {
  private readonly streak: CheckStreak;
  private timer: NodeJS.Timeout | undefined;
  private run: CheckRun | undefined;
  private stopped = false;

  constructor(
    readonly plan: CheckPlan,
    private readonly logger: Logger,
    private readonly onChange?: (member: RuntimeMember) => void,
  ) {
    this.streak = new CheckStreak(plan.member.counters);
  }

  start(delayMs: number): void {
    this.schedule(delayMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.run?.cancel();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.check(), delayMs).unref();
  }

  private check(): void {
    const started = performance.now();
    const run = startCheck(this.plan.spec);
    this.run = run;
    void run.result.then((result) => {
      this.run = undefined;
      if (this.stopped) return;
      if (this.streak.record(result, this.plan.check)) {
        this.logChange();
        this.onChange?.(this.plan.member);
      }
      this.schedule(Math.max(0, this.plan.check.intervalMs - (performance.now() - started)));
    });
  }

  private logChange(): void {
    const { member, spec } = this.plan;
    const fields = { memberId: member.id, balancerId: member.balancerId, url: member.url };
    if (member.counters.health === 'down') this.logger.warn({ ...fields, reason: member.counters.healthReason }, 'member down');
    else this.logger.info({ ...fields, reason: `${spec.type} check passed` }, 'member up');
  }
}

/** What of a member's TLS options a check depends on (name checked, verification on or off); null for plain members. */
function tlsKey(member: RuntimeMember): [string, boolean] | null {
  const tls = member.target.tls;
  return tls ? [tls.servername, tls.rejectUnauthorized] : null;
}
