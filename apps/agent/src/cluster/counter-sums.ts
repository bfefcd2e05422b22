import type { Health } from '@switchboard/protocol';
import type { MemberCounters } from '../config/member-counters';
import type { MemberReport, PeerLoad } from './messages';

/** A worker's figures for one member, read off its counters. */
export function reportOf(counters: MemberCounters): MemberReport {
  const c = counters;
  return [c.openTunnels, c.connectingTunnels, c.inflightRequests, c.elected, c.bytesIn, c.bytesOut, c.failures, c.closedByAgent, c.health, c.healthReason];
}

/** Whether two reports hold the same figures. */
export function sameReport(a: MemberReport | undefined, b: MemberReport): boolean {
  if (a === undefined) return false;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Health of a member over workers, as one agent reports it: `up` when a worker reaches it,
 * else `down` when a worker saw it fail, else `unknown` (as the control plane sums agents).
 */
function combinedHealth(healths: readonly Health[]): Health {
  if (healths.includes('up')) return 'up';
  return healths.includes('down') ? 'down' : 'unknown';
}

/** Writes the sum of the workers' reports for one member into the primary's counters (what stats, /metrics and /config show). */
export function applySum(counters: MemberCounters, reports: readonly MemberReport[]): void {
  const sum = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const report of reports) for (let i = 0; i < sum.length; i++) sum[i] += report[i] as number;
  const c = counters;
  [c.openTunnels, c.connectingTunnels, c.inflightRequests, c.elected, c.bytesIn, c.bytesOut, c.failures, c.closedByAgent] = sum as [number, number, number, number, number, number, number, number];
  c.health = combinedHealth(reports.map((report) => report[8]));
  c.healthReason = c.health === 'down' ? (reports.find((report) => report[9] !== null)?.[9] ?? null) : null;
}

/** The load of one member on every worker but the one that reported `own`, given the sum over all of them. */
export function peerLoad(total: PeerLoad, own: MemberReport | undefined): PeerLoad {
  if (own === undefined) return total;
  return [total[0] - (own[0] + own[1] + own[2]), total[1] - (own[0] + own[1]), total[2] - (own[4] + own[5])];
}

/** The load a member report contributes to PeerLoad sums. */
export function loadOf(report: MemberReport): PeerLoad {
  return [report[0] + report[1] + report[2], report[0] + report[1], report[4] + report[5]];
}
