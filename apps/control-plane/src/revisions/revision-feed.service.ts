import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { Subject } from 'rxjs';
import { DATABASE_URL } from '../database/prisma.service';

/** Postgres channel on which every new revision number is announced (pg_notify inside the write). */
export const REVISION_CHANNEL = 'switchboard_revision';
/** Postgres channel on which each token revocation is announced as `api:<id>` or `agent:<id>` (pg_notify inside the revoke). */
export const REVOCATION_CHANNEL = 'switchboard_revocation';

/** A token revoked through some replica. */
export interface Revocation {
  kind: 'api' | 'agent';
  id: string;
}

/**
 * Emits each new revision number as soon as its transaction commits, from Postgres LISTEN/NOTIFY,
 * so every control-plane replica hears about every write (not only its own); on the same
 * connection, each token revocation (`revocations`). Reconnects after a lost connection (1 s
 * later) and then emits, as a catch-up, revision -1 and the revocation `null` (announcements may
 * have been missed: listeners re-check what they hold).
 */
@Injectable()
export class RevisionFeed implements OnModuleInit, OnModuleDestroy {
  readonly revisions = new Subject<number>();
  readonly revocations = new Subject<Revocation | null>();
  private readonly logger = new Logger('RevisionFeed');
  private client: Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  async onModuleInit(): Promise<void> {
    await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.revisions.complete();
    this.revocations.complete();
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => {
      if (message.channel === REVOCATION_CHANNEL) return this.revoked(message.payload ?? '');
      const revision = Number(message.payload);
      if (Number.isInteger(revision)) this.revisions.next(revision);
    });
    client.on('error', (error) => this.reconnect(error));
    await client.connect();
    await client.query(`LISTEN ${REVISION_CHANNEL}; LISTEN ${REVOCATION_CHANNEL}`);
    this.client = client;
  }

  private revoked(payload: string): void {
    const [kind, id] = payload.split(':', 2);
    if ((kind === 'api' || kind === 'agent') && id) this.revocations.next({ kind, id });
  }

  private reconnect(error: Error): void {
    if (this.stopped || this.retry) return;
    this.logger.warn(`lost the LISTEN connection (${error.message}); reconnecting in 1 s`);
    void this.client?.end().catch(() => undefined);
    this.client = null;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.listen().then(
        () => {
          this.revisions.next(-1);
          this.revocations.next(null);
        },
        (e: unknown) => this.reconnect(e instanceof Error ? e : new Error(String(e))),
      );
    }, 1000);
  }
}
