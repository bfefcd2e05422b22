import { z } from 'zod';
import { memberDrain, memberState, memberUrl, snapshotMember } from '../config';
import { entityId, isoTime } from './common';

const fields = {
  url: memberUrl,
  name: z.string().trim().min(1).max(200).nullable().describe('Display name'),
  weight: snapshotMember.shape.weight,
  lbset: snapshotMember.shape.lbset,
  state: memberState,
};

/** POST /api/v1/balancers/{id}/members body; weight defaults to 1, lbset to 0, state to active. */
export const createMemberBody = z
  .strictObject({
    url: fields.url,
    name: fields.name.optional().transform((v) => v ?? null),
    weight: fields.weight.default(1),
    lbset: fields.lbset.default(0),
    state: fields.state.default('active'),
  })
  .meta({ id: 'CreateMemberBody', description: 'A new member of the balancer; its URL must not be one of the balancer already' });
export type CreateMemberBody = z.infer<typeof createMemberBody>;

/** PATCH …/members/{memberId} body. Operators may send only `state` and `weight`. */
export const updateMemberBody = z
  .strictObject({
    url: fields.url.optional(),
    name: fields.name.optional(),
    weight: fields.weight.optional(),
    lbset: fields.lbset.optional(),
    state: fields.state.optional(),
  })
  .meta({ id: 'UpdateMemberBody', description: 'Any subset of the member; an operator may send state and weight only' });
export type UpdateMemberBody = z.infer<typeof updateMemberBody>;

/** Fields of a member an operator (not only an admin) may change, as in Apache's balancer-manager. */
export const MEMBER_OPERATOR_FIELDS: ReadonlySet<string> = new Set(['state', 'weight']);

/**
 * POST …/members/{memberId}/drain body. Without `deadlineMs` open tunnels run on until they end;
 * with it, agents leave them alone for `windowMs` (default 0), then close them spread evenly
 * until `deadlineMs` with close 1001, as the protocol's memberDrain.
 */
export const drainBody = z
  .strictObject({
    deadlineMs: memberDrain.shape.deadlineMs.optional().describe('Every open tunnel is closed (1001) by this long after the drain starts (ms); absent = open tunnels run on until they end'),
    windowMs: memberDrain.shape.windowMs.optional().describe('Open tunnels are left alone this long first (ms, default 0); needs deadlineMs and must not exceed it'),
  })
  .superRefine((body, ctx) => {
    if (body.windowMs !== undefined && body.deadlineMs === undefined) ctx.addIssue({ code: 'custom', path: ['deadlineMs'], message: 'is required with windowMs' });
    if (body.windowMs !== undefined && body.deadlineMs !== undefined && body.windowMs > body.deadlineMs) {
      ctx.addIssue({ code: 'custom', path: ['windowMs'], message: 'must not exceed deadlineMs' });
    }
  })
  .meta({ id: 'DrainBody', description: 'A drain: no new tunnels for the member; with a deadline, its open tunnels are closed, paced, by then' });
export type DrainBody = z.infer<typeof drainBody>;

/** A drain's progress as the API shows it while a member is draining. */
export const drainProgress = z
  .object({
    startedAt: isoTime.nullable().describe('When the drain was asked for'),
    windowMs: z.number().int().min(0).nullable().describe('Open tunnels are left alone this long; null for a drain without deadline (open tunnels end on their own)'),
    deadlineMs: z.number().int().min(0).nullable().describe('Open tunnels are closed by this long after startedAt; null without deadline'),
    remainingTunnels: z.number().int().min(0).describe('Open tunnels on the member, summed over online agents'),
    drainedAt: isoTime.nullable().describe('When the open tunnels were first seen at zero; null while some remain'),
  })
  .meta({ id: 'DrainProgress', description: "A drain's progress" });
export type DrainProgress = z.infer<typeof drainProgress>;

/** A member as the API shows it (../shared/API.md). */
export const member = snapshotMember
  .omit({ drain: true })
  .extend({
    balancerId: entityId.describe('The balancer it belongs to'),
    drain: drainProgress.nullable().describe('Present while state is draining'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Member', description: 'A backend server of a balancer' });
export type Member = z.infer<typeof member>;
