import { memberDrain, memberState, memberUrl, snapshotMember, type MemberDrain } from '@switchboard/protocol';
import { z } from 'zod';

const fields = {
  url: memberUrl,
  name: z.string().trim().min(1).max(200).nullable(),
  weight: snapshotMember.shape.weight,
  lbset: snapshotMember.shape.lbset,
  state: memberState,
};

/** POST /api/v1/balancers/{id}/members body; weight defaults to 1, lbset to 0, state to active. */
export const createMemberBody = z.strictObject({
  url: fields.url,
  name: fields.name.optional().transform((v) => v ?? null),
  weight: fields.weight.default(1),
  lbset: fields.lbset.default(0),
  state: fields.state.default('active'),
});
export type CreateMemberBody = z.infer<typeof createMemberBody>;

/** PATCH …/members/{memberId} body. Operators may send only `state` and `weight`. */
export const updateMemberBody = z.strictObject({
  url: fields.url.optional(),
  name: fields.name.optional(),
  weight: fields.weight.optional(),
  lbset: fields.lbset.optional(),
  state: fields.state.optional(),
});
export type UpdateMemberBody = z.infer<typeof updateMemberBody>;

/** Fields an operator (not only an admin) may change, as in Apache's balancer-manager. */
export const OPERATOR_FIELDS: ReadonlySet<string> = new Set(['state', 'weight']);

/**
 * POST …/members/{memberId}/drain body. Without `deadlineMs` open tunnels run on until they end;
 * with it, agents leave them alone for `windowMs` (default 0), then close them spread evenly
 * until `deadlineMs` with close 1001, as the protocol's memberDrain.
 */
export const drainBody = z
  .strictObject({ deadlineMs: memberDrain.shape.deadlineMs.optional(), windowMs: memberDrain.shape.windowMs.optional() })
  .superRefine((body, ctx) => {
    if (body.windowMs !== undefined && body.deadlineMs === undefined) ctx.addIssue({ code: 'custom', path: ['deadlineMs'], message: 'is required with windowMs' });
    if (body.windowMs !== undefined && body.deadlineMs !== undefined && body.windowMs > body.deadlineMs) {
      ctx.addIssue({ code: 'custom', path: ['windowMs'], message: 'must not exceed deadlineMs' });
    }
  });
export type DrainBody = z.infer<typeof drainBody>;

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

/** A drain's progress as the API shows it while a member is draining. */
export interface DrainProgress {
  startedAt: Date | null;
  /** Null for a drain without deadline (open tunnels end on their own). */
  windowMs: number | null;
  deadlineMs: number | null;
  /** Open tunnels on the member, summed over online agents. */
  remainingTunnels: number;
  /** When the open tunnels were first seen at zero, or null while some remain. */
  drainedAt: Date | null;
}

/** A member as the API shows it. */
export interface MemberDto {
  id: string;
  balancerId: string;
  url: string;
  name: string | null;
  weight: number;
  lbset: number;
  state: string;
  /** Present while `state` is draining. */
  drain: DrainProgress | null;
  createdAt: Date;
  updatedAt: Date;
}

type MemberRow = Omit<MemberDto, 'drain'> & DrainColumns;

/** A member row as the API shows it; `remainingTunnels` is the fleet's open tunnels on it (0 when unknown). */
export function toMemberDto(row: MemberRow, remainingTunnels = 0): MemberDto {
  const drain =
    row.state === 'draining'
      ? { startedAt: row.drainStartedAt, windowMs: row.drainDeadlineMs === null ? null : (row.drainWindowMs ?? 0), deadlineMs: row.drainDeadlineMs, remainingTunnels, drainedAt: row.drainedAt }
      : null;
  return { id: row.id, balancerId: row.balancerId, url: row.url, name: row.name, weight: row.weight, lbset: row.lbset, state: row.state, drain, createdAt: row.createdAt, updatedAt: row.updatedAt };
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
