/** Reconnect delays in milliseconds: `baseMs` doubling per failed attempt up to `capMs`. */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

/** 250 ms doubling to a 10 s cap. */
export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 10_000 };

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): attempt n (from 0) waits a uniformly random time in [0, min(cap, base·2ⁿ)) ms, so
 * a fleet of agents does not reconnect in step after a control-plane restart.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
