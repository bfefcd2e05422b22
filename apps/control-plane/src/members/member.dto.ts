import type { DrainBody, DrainProgress, Member, MemberDrain, MemberState } from '@switchboard/protocol';
import type { WithDates } from '../common/json';

/** The stored drain columns of a member. */
export interface DrainColumns {
  state: string;
  drainStartedAt: Date | null;
  drainWindowMs: number | null;
  drainDeadlineMs: number | null;
  drainedAt: Date | null;
}

/** The snapshot's `drain` of a member: set only while it is draining with a deadline. */
export function drainOf(row: DrainColumns): MemberDrain | null {
  if (row.state !== 'draining' || row.drainStartedAt === null || row.drainDeadlineMs === null) return null;
  return { startedAt: row.drainStartedAt.getTime(), windowMs: row.drainWindowMs ?? 0, deadlineMs: row.drainDeadlineMs };
}

/** A member as a service returns it: the contract's Member, times as Dates until serialised. */
export type MemberDto = WithDates<Omit<Member, 'drain'>, 'createdAt' | 'updatedAt'> & { drain: WithDates<DrainProgress, 'startedAt' | 'drainedAt'> | null };

type MemberRow = Omit<MemberDto, 'drain' | 'state'> & DrainColumns;

/** A member row as the API shows it; `remainingTunnels` is the fleet's open tunnels on it (0 when unknown). */
export function toMemberDto(row: MemberRow, remainingTunnels = 0): MemberDto {
  const drain =
    row.state === 'draining'
      ? { startedAt: row.drainStartedAt, windowMs: row.drainDeadlineMs === null ? null : (row.drainWindowMs ?? 0), deadlineMs: row.drainDeadlineMs, remainingTunnels, drainedAt: row.drainedAt }
      : null;
  return { id: row.id, balancerId: row.balancerId, url: row.url, name: row.name, weight: row.weight, lbset: row.lbset, state: row.state as MemberState, drain, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/**
 * The drain columns to write with a change of `state`: a new drain starts its clock now (with
 * the deadline and window given, or none); leaving `draining` clears them.
 */
export function drainColumns(state: string | undefined, drain: DrainBody = {}) {
  if (state === undefined) return {};
  if (state !== 'draining') return { drainStartedAt: null, drainWindowMs: null, drainDeadlineMs: null, drainedAt: null };
  return { drainStartedAt: new Date(), drainWindowMs: drain.deadlineMs === undefined ? null : (drain.windowMs ?? 0), drainDeadlineMs: drain.deadlineMs ?? null, drainedAt: null };
}
