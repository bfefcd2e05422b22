import { SetMetadata } from '@nestjs/common';
import { ROLES, type Me, type Role } from '@switchboard/protocol';

export type { Role };

/** Who made a request: the API token's id, name and role (the contract's Me). */
export type Principal = Me;

export const AUTH_KEY = 'switchboard:auth';

/** Declares the weakest role a route accepts. Every route declares either Auth or Public (see common/endpoint.ts). */
export const Auth = (role: Role) => SetMetadata(AUTH_KEY, role);

/** Declares a route open to anyone (health, metrics, OpenAPI). */
export const Public = () => SetMetadata(AUTH_KEY, 'public');

/** True when `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
