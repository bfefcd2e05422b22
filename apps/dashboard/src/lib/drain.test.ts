import { describe, expect, it } from 'vitest';
import { drainBody, drainClosesFrom, drainProgressText } from './drain';
import type { DrainProgress } from '@switchboard/api-client';

const start = new Date(2030, 0, 2, 14, 0, 0);
const now = start.getTime() + 1000;
const drain = (over: Partial<DrainProgress> = {}): DrainProgress => ({
  startedAt: start.toISOString(),
  windowMs: 60_000,
  deadlineMs: 300_000,
  remainingTunnels: 4,
  drainedAt: null,
  ...over,
});

describe('drainBody', () => {
  it('sends milliseconds, leaves empty fields out and passes text on for the API to name', () => {
    expect(drainBody('', '')).toEqual({});
    expect(drainBody('300', '')).toEqual({ deadlineMs: 300_000 });
    expect(drainBody('300', '1.5')).toEqual({ deadlineMs: 300_000, windowMs: 1500 });
    expect(drainBody('', '10')).toEqual({ windowMs: 10_000 });
    expect(drainBody('soon', '')).toEqual({ deadlineMs: 'soon' });
  });
});

describe('drainProgressText', () => {
  it('counts the tunnels left from the live feed and names the deadline', () => {
    expect(drainProgressText(drain(), 3, now)).toBe('3 tunnels left, closing by 14:05:00');
    expect(drainProgressText(drain(), 1, now)).toBe('1 tunnel left, closing by 14:05:00');
  });

  it('falls back to the member list count without a feed figure', () => {
    expect(drainProgressText(drain(), undefined, now)).toBe('4 tunnels left, closing by 14:05:00');
  });

  it('says when there is no deadline', () => {
    expect(drainProgressText(drain({ windowMs: null, deadlineMs: null }), 2, now)).toBe('2 tunnels left, no deadline');
    expect(drainProgressText(null, 0, now)).toBe('0 tunnels left, no deadline');
  });

  it('says when the member was drained, once nothing is open', () => {
    const drainedAt = new Date(2030, 0, 2, 14, 3, 0).toISOString();
    expect(drainProgressText(drain({ drainedAt }), 0, now)).toBe('drained at 14:03:00');
    expect(drainProgressText(drain({ drainedAt, remainingTunnels: 0 }), undefined, now)).toBe('drained at 14:03:00');
  });
});

describe('drainClosesFrom', () => {
  it('is the start plus the window, and null without a deadline', () => {
    expect(drainClosesFrom(drain())).toBe(start.getTime() + 60_000);
    expect(drainClosesFrom(drain({ windowMs: null, deadlineMs: null }))).toBeNull();
  });
});
