import { z } from 'zod';

/** Most events one page of `GET /api/v1/audit` returns (`limit`), and how many when not asked. */
export const AUDIT_PAGE_MAX = 500;
export const AUDIT_PAGE_DEFAULT = 50;

/** Where a page of the audit log ended: the last event's time and id (the paging keyset). */
export interface AuditCursor {
  createdAt: Date;
  id: string;
}

/**
 * The `cursor` of the page after the one ending with `last`: base64url of `[createdAt ISO, id]`.
 * Clients treat it as opaque and pass it back unchanged.
 */
export function encodeAuditCursor(last: AuditCursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([last.createdAt.toISOString(), last.id]));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The position a cursor made by `encodeAuditCursor` names, or null for anything else. */
export function decodeAuditCursor(cursor: string): AuditCursor | null {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) return null;
  try {
    const binary = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    const parsed = cursorTuple.safeParse(JSON.parse(text));
    return parsed.success ? { createdAt: new Date(parsed.data[0]), id: parsed.data[1] } : null;
  } catch {
    return null; // not base64, not UTF-8 or not JSON
  }
}

const cursorTuple = z.tuple([z.iso.datetime(), z.string().min(1).max(100)]);

/** An ISO 8601 time with seconds and `Z` or an offset (`2026-12-01T10:00:00Z`, `…+01:00`), as a Date. */
const isoTime = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .meta({ description: 'ISO 8601 time with seconds and Z or an offset, e.g. 2026-12-01T10:00:00Z' });

const prefix = z.string().min(1, 'must not be empty; leave the parameter out instead').max(200);

/**
 * Query of `GET /api/v1/audit`. `actor` matches exactly; `action` and `target` are prefixes
 * (`member.` finds `member.create`, `member.update`…; `balancer:<id>` one balancer's events);
 * `since` and `until` are inclusive. Any other parameter is refused (400 naming it).
 */
export const auditQuery = z
  .strictObject({
    actor: prefix.optional().describe('Only events by this actor (the name of the API token that made the change), exactly'),
    action: prefix.optional().describe('Only actions starting with this, e.g. `member.` or `member.update`'),
    target: prefix.optional().describe('Only targets starting with this, e.g. `balancer:<id>` or `token:`'),
    since: isoTime.optional().describe('Only events at or after this time'),
    until: isoTime.optional().describe('Only events at or before this time'),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(AUDIT_PAGE_DEFAULT).describe(`Events per page, 1–${AUDIT_PAGE_MAX}`),
    cursor: z
      .string()
      .transform((text, ctx) => {
        const position = decodeAuditCursor(text);
        if (position) return position;
        ctx.addIssue({ code: 'custom', message: 'is not a cursor this API gave out: pass nextCursor of the previous page unchanged' });
        return z.NEVER;
      })
      .optional()
      .describe('`nextCursor` of the previous page, to get the events older than it'),
  })
  .refine((q) => !q.since || !q.until || q.since.getTime() <= q.until.getTime(), {
    path: ['since'],
    message: 'must not be after until',
    // Checked whenever both times parsed, even if another parameter is bad, so that one 400 names every problem.
    when: (payload) => !payload.issues.some((issue) => issue.path?.[0] === 'since' || issue.path?.[0] === 'until'),
  });
export type AuditQuery = z.output<typeof auditQuery>;
export type AuditQueryInput = z.input<typeof auditQuery>;

/** One recorded change: who did what to which entity, with the entity before and after. */
export const auditEvent = z
  .object({
    id: z.string(),
    actor: z.string().describe('Name of the API token that made the change'),
    action: z.string().describe('What was done: `balancer.create`, `member.update`, `route.delete`, `token.revoke`, `revision.rollback`…'),
    target: z.string().describe('What it was done to: `balancer:<id>`, `member:<id>`, `route:<id>`, `token:<id>`, `agent-token:<id>`, `revision:<n>`'),
    before: z.unknown().describe('The entity before the change (JSON), null when it was created'),
    after: z.unknown().describe('The entity after the change (JSON), null when it was deleted'),
    revision: z.number().int().nullable().describe('The configuration revision the change made; null for changes outside the configuration (tokens)'),
    createdAt: z.iso.datetime().describe('When the change was recorded (ISO 8601 UTC)'),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof auditEvent>;

/** A page of the audit log, newest first; `nextCursor` is null on the last page. */
export const auditPage = z
  .object({
    items: z.array(auditEvent),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next (older) page; null when there is none'),
  })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof auditPage>;
