import type { HealthCheck } from '@switchboard/protocol';
import type { MemberCounters } from '../config/member-counters';
import type { CheckResult } from './check-run';

/**
 * The results in a row of one member's active check and what they do to its health: `down`
 * after `fails` failed checks in a row, `up` again after `passes` good ones (Apache's
 * hcfails/hcpasses, HAProxy's fall/rise). A member of unknown health is taken as up: the first
 * good check makes it `up`, and it needs `fails` failures to go down. When something else
 * changed the member's health since the last result (passive health, after a connect failure),
 * the streaks start over, so a member marked down by traffic needs `passes` good checks too.
 */
export class CheckStreak {
  private passes = 0;
  private fails = 0;
  private seen: MemberCounters['health'];

  constructor(private readonly counters: MemberCounters) {
    this.seen = counters.health;
  }

  /** Applies one result to the member's health (see MemberCounters.setHealth). Returns true when health changed. */
  record(result: CheckResult, rule: Pick<HealthCheck, 'passes' | 'fails'>): boolean {
    const counters = this.counters;
    if (counters.health !== this.seen) {
      this.passes = 0;
      this.fails = 0;
    }
    let changed = false;
    if (result.ok) {
      this.fails = 0;
      this.passes += 1;
      if (counters.health === 'unknown' || (counters.health === 'down' && this.passes >= rule.passes)) changed = counters.setHealth('up', null);
    } else {
      this.passes = 0;
      this.fails += 1;
      // A member already down takes the latest reason.
      if (counters.health === 'down' || this.fails >= rule.fails) changed = counters.setHealth('down', result.reason);
    }
    this.seen = counters.health;
    return changed;
  }
}
