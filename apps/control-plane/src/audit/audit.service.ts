import { Injectable } from '@nestjs/common';
import { encodeAuditCursor, type AuditEvent, type AuditPage, type AuditQuery } from '@switchboard/protocol';
import { PrismaService } from '../database/prisma.service';
import type { AuditEvent as AuditRow, Prisma } from '../generated/prisma/client';

/**
 * Reads the audit log. Events are written by the writes they record (RevisionsService.write,
 * TokensService) in the same transaction; nothing here, nor any route, changes or deletes one.
 */
@Injectable()
export class AuditService {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * One page of the events matching `query`, newest first (by time, then id), at most
   * `query.limit`, after `query.cursor` when given. `nextCursor` is set when older matching
   * events exist: passing it back gives the next page, each event on exactly one page.
   */
  async list(query: AuditQuery): Promise<AuditPage> {
    const rows = await this.prisma.auditEvent.findMany({
      where: matching(query),
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toAuditEvent), nextCursor: rows.length > query.limit && last ? encodeAuditCursor(last) : null };
  }
}

/** The filters of `query` and its cursor as one Prisma condition. */
function matching(query: AuditQuery): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (query.actor !== undefined) and.push({ actor: query.actor });
  if (query.action !== undefined) and.push({ action: { startsWith: likeLiteral(query.action) } });
  if (query.target !== undefined) and.push({ target: { startsWith: likeLiteral(query.target) } });
  if (query.since !== undefined) and.push({ createdAt: { gte: query.since } });
  if (query.until !== undefined) and.push({ createdAt: { lte: query.until } });
  if (query.cursor !== undefined) {
    const { createdAt, id } = query.cursor;
    // (createdAt, id) < cursor, with `createdAt <= t` on its own so that Postgres uses it as an index bound.
    and.push({ createdAt: { lte: createdAt } }, { OR: [{ createdAt: { lt: createdAt } }, { id: { lt: id } }] });
  }
  return { AND: and };
}

/**
 * `text` with LIKE's wildcards escaped: Prisma's `startsWith` becomes `LIKE 'text%'` without
 * escaping (prisma/prisma#19506), so `member_` would otherwise match `memberX…`.
 */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toAuditEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id,
    actor: row.actor,
    action: row.action,
    target: row.target,
    before: row.before,
    after: row.after,
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
  };
}
