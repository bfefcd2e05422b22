export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** Fraction of the delay that is randomised, 0–1. */
  jitter?: number;
}

/**
 * Delay before reconnect attempt `attempt` (0 = first retry): exponential from baseMs, capped
 * at maxMs, with the top `jitter` part randomised so that many tabs do not reconnect in step.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = opts.baseMs ?? 500;
  const max = opts.maxMs ?? 15_000;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.3));
  const exp = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(exp * (1 - jitter) + exp * jitter * random());
}
