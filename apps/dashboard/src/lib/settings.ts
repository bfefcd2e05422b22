import { formatClock, formatMs } from './format';
import { compactBody, numericField, percentToFraction } from './form';
import type { HealthCheck, PassiveHealth, Rebalance, UpstreamTls } from '@switchboard/api-client';

/**
 * The active health check in one line, e.g. "http GET /health → 200 · every 5 s, timeout 2 s ·
 * up after 2, down after 3" (Apache's hcmethod/hcuri/hcinterval/hcpasses/hcfails, HAProxy's
 * `check inter … rise … fall …`). "none (passive only)" without one.
 */
export function healthCheckText(check: HealthCheck): string {
  if (check.type === 'none') return 'none (passive only)';
  const what = check.type === 'http' ? `http GET ${check.path} → ${check.expectStatus}` : check.type === 'websocket' ? `websocket upgrade on ${check.path}` : 'tcp connect';
  return `${what} · every ${formatMs(check.intervalMs)}, timeout ${formatMs(check.timeoutMs)} · up after ${check.passes}, down after ${check.fails}`;
}

/** Passive health in one line: "down after 1 failed connect, retried after 10 s". */
export function passiveHealthText(passive: PassiveHealth): string {
  const fails = `down after ${passive.fails} failed ${passive.fails === 1 ? 'connect' : 'connects in a row'}`;
  return `${fails}, ${passive.retryMs === 0 ? 'retried at once' : `retried after ${formatMs(passive.retryMs)}`}`;
}

/** Upstream TLS in a few words; the insecure case is the one to notice. */
export function tlsText(tls: UpstreamTls): string {
  if (tls.insecureSkipVerify) return 'insecure: certificate verification off';
  return tls.serverName ? `certificates verified as ${tls.serverName}` : 'certificates verified';
}

/** The fields of POST /balancers/{id}/rebalance, as the API names them in problem `errors[]`. */
export const REBALANCE_FIELDS = ['tolerance', 'closesPerSecond'] as const;
export type RebalanceField = (typeof REBALANCE_FIELDS)[number];

/** The rebalance body from the form: tolerance typed in percent, closes per second per agent; empty → API default. */
export function rebalanceBody(tolerancePercent: string, closesPerSecond: string): Record<string, unknown> {
  return compactBody({ tolerance: numericField(tolerancePercent, percentToFraction), closesPerSecond: numericField(closesPerSecond) });
}

/** "14:05:09 (tolerance 10 %, 10 closes/s per agent)", or "never". */
export function rebalanceText(rebalance: Rebalance | null, now: number = Date.now()): string {
  if (!rebalance) return 'never';
  const percent = Math.round(rebalance.tolerance * 1000) / 10;
  return `${formatClock(rebalance.requestedAt, now)} (tolerance ${percent} %, ${rebalance.closesPerSecond} closes/s per agent)`;
}
