import { SetMetadata } from '@nestjs/common';

/** API roles, weakest first: viewer reads, operator also changes member state and weight, admin does everything. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a request: the API token's id, name and role. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}

export const AUTH_KEY = 'switchboard:auth';

/** Declares the weakest role a route accepts. Every route declares either Auth or Public. */
export const Auth = (role: Role) => SetMetadata(AUTH_KEY, role);

/** Declares a route open to anyone (health, metrics, OpenAPI). */
export const Public = () => SetMetadata(AUTH_KEY, 'public');

/** True when `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
