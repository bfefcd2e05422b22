import { describe, expect, it } from 'vitest';
import { MemberCounters } from '../config/member-counters';
import type { PassiveRule } from '../config/member-counters';
import { CheckStreak } from './check-streak';

const rule = { passes: 2, fails: 2 };
const checked: PassiveRule = { fails: 1, retryMs: Infinity, checked: true };
const good = { ok: true } as const;
const bad = { ok: false, reason: 'http check: status 500' } as const;

describe('check streaks with passive health', () => {
  it('a member marked down by traffic needs `passes` good checks, however many passed before', () => {
    const counters = new MemberCounters();
    const streak = new CheckStreak(counters);
    for (let i = 0; i < 5; i++) streak.record(good, rule);
    expect(counters.health).toBe('up');
    counters.markFailure('ECONNREFUSED', checked);
    expect(counters).toMatchObject({ health: 'down', healthReason: 'connect ECONNREFUSED' });
    expect(streak.record(good, rule)).toBe(false);
    expect(counters.health).toBe('down');
    expect(streak.record(good, rule)).toBe(true);
    expect(counters).toMatchObject({ health: 'up', healthReason: null });
  });

  it('under an active check, a successful connect does not bring a down member up', () => {
    const counters = new MemberCounters();
    const streak = new CheckStreak(counters);
    streak.record(bad, rule);
    streak.record(bad, rule);
    expect(counters).toMatchObject({ health: 'down', healthReason: 'http check: status 500' });
    expect(counters.markConnected(checked)).toBe(false);
    expect(counters).toMatchObject({ health: 'down', connectFailures: 0 });
  });

  it('a member of unknown health is up at the first good check and down only after `fails` bad ones', () => {
    const counters = new MemberCounters();
    const streak = new CheckStreak(counters);
    streak.record(bad, rule);
    expect(counters.health).toBe('unknown');
    streak.record(bad, rule);
    expect(counters.health).toBe('down');
    const fresh = new MemberCounters();
    new CheckStreak(fresh).record(good, rule);
    expect(fresh.health).toBe('up');
  });
});
