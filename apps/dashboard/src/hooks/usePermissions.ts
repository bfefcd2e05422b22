'use client';

import { useMe } from '@/components/ConsoleShell';
import { permissionsOf, type Permissions } from '@/lib/roles';

/** What the signed-in user's role may do; nothing until GET /me has answered. */
export function usePermissions(): Permissions {
  return permissionsOf(useMe()?.role);
}
