import { Injectable } from '@nestjs/common';
import { concatMap, filter, from, map, Observable, of, take } from 'rxjs';
import type { Tx } from '../database/prisma.service';
import { PrismaService } from '../database/prisma.service';
import { REVOCATION_CHANNEL, RevisionFeed, type Revocation } from '../revisions/revision-feed.service';

/**
 * Token revocations as they reach open sessions. A revoke announces itself with pg_notify in
 * its own transaction (`announce`), so every control-plane replica hears it the moment it
 * commits (RevisionFeed's LISTEN connection); sessions then end at once instead of at their next
 * request. After a lost LISTEN connection the held tokens are re-checked in the database, as an
 * announcement may have been missed meanwhile.
 */
@Injectable()
export class Revocations {
  constructor(
    private readonly prisma: PrismaService,
    private readonly feed: RevisionFeed,
  ) {}

  /** Announces the revocation of token `id` to every replica once `tx` commits. */
  async announce(tx: Tx, revocation: Revocation): Promise<void> {
    await tx.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${`${revocation.kind}:${revocation.id}`})`;
  }

  /** Emits once (then completes) when API token `id` is revoked through any replica. */
  apiTokenRevoked(id: string): Observable<void> {
    return this.feed.revocations.pipe(
      concatMap((r) => (r ? of(r.kind === 'api' && r.id === id) : from(this.revokedApiToken(id)))),
      filter(Boolean),
      take(1),
      map(() => undefined),
    );
  }

  /**
   * Agent token ids revoked through any replica, as they are announced; after a lost LISTEN
   * connection, those of `held()` (the tokens of open channels) that are revoked by now.
   */
  agentTokensRevoked(held: () => string[]): Observable<string[]> {
    return this.feed.revocations.pipe(
      concatMap((r) => (r ? of(r.kind === 'agent' ? [r.id] : []) : from(this.revokedAgentTokens(held())))),
      filter((ids) => ids.length > 0),
    );
  }

  private async revokedApiToken(id: string): Promise<boolean> {
    const row = await this.prisma.apiToken.findUnique({ where: { id }, select: { revokedAt: true } }).catch(() => null);
    return row !== null && row.revokedAt !== null;
  }

  private async revokedAgentTokens(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.prisma.agentToken.findMany({ where: { id: { in: ids }, revokedAt: { not: null } }, select: { id: true } }).catch(() => []);
    return rows.map((row) => row.id);
  }
}
