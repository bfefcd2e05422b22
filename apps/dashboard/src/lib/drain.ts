import { formatClock } from './format';
import { compactBody, numericField, secondsToMs } from './form';
import type { DrainProgress } from '@switchboard/api-client';

/** The fields of POST …/members/{id}/drain, as the API names them in problem `errors[]`. */
export const DRAIN_FIELDS = ['deadlineMs', 'windowMs'] as const;
export type DrainField = (typeof DRAIN_FIELDS)[number];

/**
 * The drain body from the form's seconds: both empty → `{}` (a plain drain: open tunnels run
 * on until they end, Apache's drain). Checks (window ≤ deadline, window needs a deadline) are
 * the control plane's, so that its messages are the ones shown.
 */
export function drainBody(deadlineSeconds: string, windowSeconds: string): Record<string, unknown> {
  return compactBody({ deadlineMs: numericField(deadlineSeconds, secondsToMs), windowMs: numericField(windowSeconds, secondsToMs) });
}

const tunnels = (n: number) => `${n} ${n === 1 ? 'tunnel' : 'tunnels'} left`;

/**
 * One line of drain progress: "3 tunnels left, closing by 14:05:09", "1 tunnel left, no
 * deadline" or "drained at 14:03:00". `open` is the live count from the stats feed, newer than
 * the member list's `remainingTunnels`, which is used when the feed has no figure.
 */
export function drainProgressText(drain: DrainProgress | null, open: number | undefined, now: number = Date.now()): string {
  const left = open ?? drain?.remainingTunnels ?? 0;
  if (drain?.drainedAt && left === 0) return `drained at ${formatClock(Date.parse(drain.drainedAt), now)}`;
  const closeBy = closingBy(drain);
  return closeBy === null ? `${tunnels(left)}, no deadline` : `${tunnels(left)}, closing by ${formatClock(closeBy, now)}`;
}

/** When the agents start closing the open tunnels (start + window), for a tooltip; null without deadline. */
export function drainClosesFrom(drain: DrainProgress | null): number | null {
  if (!drain?.startedAt || drain.deadlineMs === null) return null;
  return Date.parse(drain.startedAt) + (drain.windowMs ?? 0);
}

/** Epoch ms by which every tunnel is closed (start + deadline), or null for a drain without deadline. */
function closingBy(drain: DrainProgress | null): number | null {
  if (!drain?.startedAt || drain.deadlineMs === null) return null;
  return Date.parse(drain.startedAt) + drain.deadlineMs;
}
