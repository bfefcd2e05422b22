import { Injectable } from '@nestjs/common';
import type { ConfigChange, ConfigDiff, Revision, SnapshotConfig } from '@switchboard/protocol';
import { toJsonValue, type WithDates } from '../common/json';
import { Problem } from '../common/problem';
import { readConfig } from '../config-store/config-store';
import { PrismaService, type Tx } from '../database/prisma.service';
import { diffSides, storedConfig } from './revision-diff';
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
  /** Run the change, answer what it would do, then roll it all back: no revision, no audit event, no NOTIFY. */
  dryRun?: boolean;
  /**
   * A whole-configuration write (PUT /config, rollback): when it leaves the configuration as it
   * is, nothing is written (no revision, no audit event); its outcome always carries the
   * ConfigChange; its audit event records the revisions and the changes as `before`/`after`.
   */
  whole?: boolean;
}

/** What a write did, or would do. */
export interface WriteOutcome<T> {
  result: T;
  /** The revision written; the current one when nothing was (a dry run, a whole write changing nothing). */
  revision: number;
  /** The diff against the revision it replaced (or would): for dry runs and whole writes, else null. */
  change: ConfigChange | null;
}

/** Thrown inside the write transaction to roll it back while answering `outcome`. */
class Unwritten<T> extends Error {
  constructor(readonly outcome: WriteOutcome<T>) {
    super('rolled back on purpose');
  }
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
   * Applies `change` and records revision n+1 with its audit event and NOTIFY, all in one
   * transaction serialized by an advisory lock. With `dryRun`, and for a `whole` write that
   * leaves the configuration as it is, the transaction is rolled back instead and the outcome
   * names the current revision.
   * @throws Problem `precondition-failed` (412) when `ifMatch` is not the current revision;
   *   whatever `change` throws (nothing is written then).
   */
  async write<T>(request: ChangeRequest, change: (tx: Tx) => Promise<ChangeRecord<T>>): Promise<WriteOutcome<T>> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`;
        const current = await this.latestRef(tx);
        if (request.ifMatch !== undefined && request.ifMatch !== current.number) {
          throw new Problem('precondition-failed', `If-Match names revision ${request.ifMatch} but the configuration is at revision ${current.number}`);
        }
        const record = await change(tx);
        const { config, hash } = await readConfig(tx);
        const unchanged = request.whole === true && hash === current.hash;
        const number = request.dryRun || unchanged ? current.number : current.number + 1;
        const diff = request.dryRun || request.whole ? await this.diffFromCurrent(tx, current, { revision: request.dryRun ? null : number, hash, config }) : null;
        const outcome = { result: record.result, revision: number, change: diff && { dryRun: request.dryRun === true, revision: number, diff } };
        if (request.dryRun || unchanged) throw new Unwritten(outcome);
        const audit = request.whole ? { before: diff!.from, after: { ...diff!.to, changes: diff!.changes } } : record;
        await tx.revision.create({ data: { number, hash, snapshot: config as object, author: request.actor, reason: request.action } });
        await tx.auditEvent.create({
          data: { actor: request.actor, action: request.action, target: record.target, before: toJsonValue(audit.before), after: toJsonValue(audit.after), revision: number },
        });
        await tx.$executeRaw`SELECT pg_notify(${REVISION_CHANNEL}, ${String(number)})`;
        return outcome;
      });
    } catch (error) {
      if (error instanceof Unwritten) return error.outcome as WriteOutcome<T>;
      throw error;
    }
  }

  /**
   * The diff from revision `a` to revision `b` (either order).
   * @throws Problem `not-found` naming a revision that does not exist.
   */
  async diff(a: number, b: number): Promise<ConfigDiff> {
    const [from, to] = await Promise.all([this.get(a), this.get(b)]);
    return diffSides({ revision: a, hash: from.hash, config: storedConfig(from.config) }, { revision: b, hash: to.hash, config: storedConfig(to.config) });
  }

  /** Creates revision 0 (the empty configuration) on a new database; a no-op afterwards. */
  async ensureInitial(): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${WRITE_LOCK})`;
      if ((await tx.revision.count()) > 0) return;
      const { config, hash } = await readConfig(tx);
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

  /** Up to `limit` revisions newest first, without their configuration; only those numbered below `before` when given. */
  async list(limit: number, before?: number): Promise<Omit<RevisionView, 'config'>[]> {
    const where = before === undefined ? undefined : { number: { lt: before } };
    const rows = await this.prisma.revision.findMany({ where, orderBy: { number: 'desc' }, take: limit, select: { number: true, hash: true, author: true, reason: true, createdAt: true } });
    return rows;
  }

  /** The latest revision's number and hash inside `tx` (-1 and '' before revision 0). */
  private async latestRef(tx: Tx): Promise<{ number: number; hash: string }> {
    const row = await tx.revision.findFirst({ orderBy: { number: 'desc' }, select: { number: true, hash: true } });
    return row ?? { number: -1, hash: '' };
  }

  /** The diff from the current revision (as stored) to `to`. */
  private async diffFromCurrent(tx: Tx, current: { number: number; hash: string }, to: { revision: number | null; hash: string; config: SnapshotConfig }): Promise<ConfigDiff> {
    const row = await tx.revision.findUniqueOrThrow({ where: { number: current.number }, select: { snapshot: true } });
    return diffSides({ revision: current.number, hash: current.hash, config: storedConfig(row.snapshot) }, to);
  }
}

function toView(row: { number: number; hash: string; author: string; reason: string; createdAt: Date; snapshot: unknown }): RevisionView {
  return { number: row.number, hash: row.hash, author: row.author, reason: row.reason, createdAt: row.createdAt, config: row.snapshot as SnapshotConfig };
}
