import { memberState, memberUrl, snapshotMember } from '@switchboard/protocol';
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

/** POST …/members/{memberId}/drain body. Paced closing of open tunnels arrives with issue 3. */
export const drainBody = z.strictObject({});

/** A member as the API shows it. */
export interface MemberDto {
  id: string;
  balancerId: string;
  url: string;
  name: string | null;
  weight: number;
  lbset: number;
  state: string;
  createdAt: Date;
  updatedAt: Date;
}

export function toMemberDto(row: MemberDto): MemberDto {
  return { id: row.id, balancerId: row.balancerId, url: row.url, name: row.name, weight: row.weight, lbset: row.lbset, state: row.state, createdAt: row.createdAt, updatedAt: row.updatedAt };
}
