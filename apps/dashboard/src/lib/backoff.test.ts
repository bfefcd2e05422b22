import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the base up to the cap', () => {
    const noJitter = { baseMs: 500, maxMs: 8000, jitter: 0 };
    expect([0, 1, 2, 3, 4, 5, 50].map((a) => backoffDelay(a, noJitter))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('randomises only the jitter share of the delay', () => {
    const opts = { baseMs: 1000, maxMs: 10_000, jitter: 0.5 };
    expect(backoffDelay(0, opts, () => 0)).toBe(500);
    expect(backoffDelay(0, opts, () => 0.999999)).toBe(1000);
  });
});
