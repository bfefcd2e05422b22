import { createHash, randomBytes } from 'node:crypto';

/** A new bearer secret: `prefix` + 43 base64url characters (256 random bits). */
export function newSecret(prefix: 'sb_' | 'sba_'): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** sha256 hex of a secret: tokens are stored only as this hash, never in clear. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  return match ? match[1] : null;
}
