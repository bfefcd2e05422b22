import { Injectable } from '@nestjs/common';
import type { Revision, SnapshotConfig } from '@switchboard/protocol';
import { toJsonValue, type WithDates } from '../common/json';
import { Problem } from '../common/problem';
import { PrismaService, type Tx } from '../database/prisma.service';
import { buildSnapshot } from './snapshot.builder';
import { REVISION_CHANNEL } from './revision-feed.service';

/** Serializes configuration writes across replicas (pg_advisory_xact_lock key). */
const WRITE_LOCK = 0x5b0a4d;

/** What a configuration write did, for the audit log. */
export interface ChangeRecord<T> {
  result: T;
  /** `balancer:<id>`, `member:<id>`, `route:<id>`. */
  target: string;
  before: unknown;
  after: unknown;
}

/** Who asked for a write and how: `action` like `member.update`, `ifMatch` from the If-Match header. */
export interface ChangeRequest {
  actor: string;
  action: string;
  ifMatch?: number;
}

/** One whole configuration as stored: the contract's Revision, its time as a Date until serialised. */
export type RevisionView = WithDates<Revision, 'createdAt'>;

/**
 * Owns revisions. Every configuration write goes through `write`, which runs it in one
 * transaction with the next Revision (the whole snapshot and its hash), an AuditEvent and a
 * pg_notify, so readers never see half a change and every replica pushes it to its agents.
 */
@Injectable()
export class RevisionsService {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Applies `change` and records revision n+1.
   * @throws Problem `precondition-failed` (412) when `ifMatch` is not the current revision;
   *   whatever `change` throws (nothing is written then).
   */
  async write<T>(request: ChangeRequest, change: (tx: Tx) => Promise<ChangeRecord<T>>): Promise<{ result: T; revision: number }> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`;
      const current = await this.latestNumber(tx);
      if (request.ifMatch !== undefined && request.ifMatch !== current) {
        throw new Problem('precondition-failed', `If-Match names revision ${request.ifMatch} but the configuration is at revision ${current}`);
      }
      const record = await change(tx);
      const { config, hash } = await buildSnapshot(tx);
      const number = current + 1;
      await tx.revision.create({ data: { number, hash, snapshot: config as object, author: request.actor, reason: request.action } });
      await tx.auditEvent.create({
        data: { actor: request.actor, action: request.action, target: record.target, before: toJsonValue(record.before), after: toJsonValue(record.after), revision: number },
      });
      await tx.$executeRaw`SELECT pg_notify(${REVISION_CHANNEL}, ${String(number)})`;
      return { result: record.result, revision: number };
    });
  }

  /** Creates revision 0 (the empty configuration) on a new database; a no-op afterwards. */
  async ensureInitial(): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`;
      if ((await tx.revision.count()) > 0) return;
      const { config, hash } = await buildSnapshot(tx);
      await tx.revision.create({ data: { number: 0, hash, snapshot: config as object, author: 'system', reason: 'initial' } });
    });
  }

  /** The latest revision. @throws Error when ensureInitial has not run. */
  async latest(): Promise<RevisionView> {
    const row = await this.prisma.revision.findFirst({ orderBy: { number: 'desc' } });
    if (!row) throw new Error('no revision exists; ensureInitial() must run at boot');
    return toView(row);
  }

  /** Revision `number`. @throws Problem `not-found`. */
  async get(number: number): Promise<RevisionView> {
    const row = await this.prisma.revision.findUnique({ where: { number } });
    if (!row) throw new Problem('not-found', `revision ${number} does not exist`);
    return toView(row);
  }

  /** Revisions newest first, without their configuration. */
  async list(limit: number): Promise<Omit<RevisionView, 'config'>[]> {
    const rows = await this.prisma.revision.findMany({ orderBy: { number: 'desc' }, take: limit, select: { number: true, hash: true, author: true, reason: true, createdAt: true } });
    return rows;
  }

  private async latestNumber(tx: Tx): Promise<number> {
    const row = await tx.revision.findFirst({ orderBy: { number: 'desc' }, select: { number: true } });
    return row?.number ?? -1;
  }
}

function toView(row: { number: number; hash: string; author: string; reason: string; createdAt: Date; snapshot: unknown }): RevisionView {
  return { number: row.number, hash: row.hash, author: row.author, reason: row.reason, createdAt: row.createdAt, config: row.snapshot as SnapshotConfig };
}
