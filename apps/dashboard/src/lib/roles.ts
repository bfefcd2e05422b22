import type { Role } from '@switchboard/api-client';

/** The member fields a PATCH may carry, as the API names them. */
export const MEMBER_FIELDS = ['url', 'name', 'weight', 'lbset', 'state'] as const;
export type MemberField = (typeof MEMBER_FIELDS)[number];

/**
 * What the signed-in role may do, as the control plane's controllers decide it (`@Auth`):
 * - `configure`: create, edit and delete balancers; add and remove members (admin only);
 * - `operate`: drain, enable/disable, rebalance (operator and admin);
 * - `memberFields`: the fields of PATCH …/members/{id} it may send (operators: state and weight).
 */
export interface Permissions {
  configure: boolean;
  operate: boolean;
  memberFields: readonly MemberField[];
}

const OPERATOR_MEMBER_FIELDS: readonly MemberField[] = ['weight', 'state'];

/** The permissions of `role`; none while the role is not known yet (undefined), so nothing is offered that might be refused. */
export function permissionsOf(role: Role | undefined): Permissions {
  switch (role) {
    case 'admin':
      return { configure: true, operate: true, memberFields: MEMBER_FIELDS };
    case 'operator':
      return { configure: false, operate: true, memberFields: OPERATOR_MEMBER_FIELDS };
    case 'viewer':
    case undefined:
      return { configure: false, operate: false, memberFields: [] };
  }
}
