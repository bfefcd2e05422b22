import type { Member, MemberState, MemberFigures, Stats } from '@switchboard/api-client';

export interface MemberRowData {
  member: Member;
  /** State shown: the feed's, unless the member was changed after that feed snapshot was taken. */
  state: MemberState;
  /** Weight shown, by the same rule as `state`. */
  weight: number;
  /** The feed's figures of the member, summed and per agent; null until the feed names it. */
  figures: MemberFigures | null;
}

/** Joins configured members with the latest stats snapshot. */
export function buildRows(members: readonly Member[], stats: Stats | null): MemberRowData[] {
  const byId = new Map<string, MemberFigures>();
  for (const s of stats?.members ?? []) byId.set(s.memberId, s);
  const statsAt = stats ? Date.parse(stats.at) : Number.NaN;
  return members.map((member) => {
    const s = byId.get(member.id);
    // A snapshot taken before our own PATCH landed still carries the old state; don't let it
    // flip the row back.
    const feedIsNewer = s !== undefined && !(statsAt < Date.parse(member.updatedAt));
    const live = s && feedIsNewer ? s : undefined;
    return { member, state: live?.state ?? member.state, weight: live?.weight ?? member.weight, figures: s ?? null };
  });
}

/** True when the feed names a member of this balancer that the page has not loaded. */
export function hasUnknownMembers(balancerId: string, members: readonly Member[], stats: Stats): boolean {
  const known = new Set(members.map((m) => m.id));
  return stats.members.some((s) => s.balancerId === balancerId && !known.has(s.memberId));
}

/** Newest-wins: ignore a snapshot older than the one we already show. */
export function newerSnapshot(current: Stats | null, next: Stats): Stats {
  if (current && Date.parse(next.at) < Date.parse(current.at)) return current;
  return next;
}

/** Sums per-balancer open tunnels from a snapshot. */
export function tunnelsByBalancer(stats: Stats | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of stats?.members ?? []) out.set(s.balancerId, (out.get(s.balancerId) ?? 0) + s.openTunnels);
  return out;
}

/**
 * True when a draining member shows no open tunnels in the feed but the member list has no
 * `drainedAt` for it yet (the control plane stamps it on the next stats report): time to read
 * the list again.
 */
export function awaitsDrainedAt(rows: readonly MemberRowData[]): boolean {
  return rows.some(({ member, figures }) => member.drain !== null && member.drain.drainedAt === null && (figures?.openTunnels ?? 0) === 0);
}

/** The member list after a write: `member` removed, replaced (same id) or appended (new). */
export function applyMemberChange(list: readonly Member[], member: Member, removed = false): Member[] {
  if (removed) return list.filter((m) => m.id !== member.id);
  return list.some((m) => m.id === member.id) ? list.map((m) => (m.id === member.id ? member : m)) : [...list, member];
}
