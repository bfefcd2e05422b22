import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

describe('backoffDelay', () => {
  it('doubles the ceiling from 250 ms up to the 10 s cap', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 50].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF, () => 0.999999));
    expect(ceilings).toEqual([249, 499, 999, 1999, 3999, 7999, 9999, 9999, 9999]);
  });

  it('is fully jittered: anywhere from 0', () => {
    expect(backoffDelay(5, DEFAULT_BACKOFF, () => 0)).toBe(0);
    expect(backoffDelay(5, DEFAULT_BACKOFF, () => 0.5)).toBe(4000);
  });
});
