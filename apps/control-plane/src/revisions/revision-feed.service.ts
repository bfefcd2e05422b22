import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Client } from 'pg';
import { Subject } from 'rxjs';
import { DATABASE_CONFIG, pgOptions, type DatabaseConfig } from '../database/database-config';

/** Postgres channel on which every new revision number is announced (pg_notify inside the write). */
export const REVISION_CHANNEL = 'switchboard_revision';
/** Postgres channel on which each token revocation is announced as `api:<id>` or `agent:<id>` (pg_notify inside the revoke). */
export const REVOCATION_CHANNEL = 'switchboard_revocation';
/** Delay between attempts to re-open a lost LISTEN connection (ms). */
const RETRY_MS = 1_000;

/** A token revoked through some replica. */
export interface Revocation {
  kind: 'api' | 'agent';
  id: string;
}

/**
 * Emits each new revision number as soon as its transaction commits, from Postgres LISTEN/NOTIFY,
 * so every control-plane replica hears about every write (not only its own); on the same
 * connection, each token revocation (`revocations`). A lost connection (Postgres stopped or
 * restarted, network gone: an `error` or `end` of the client, noticed by TCP keep-alive when the
 * peer vanished silently) is re-opened every second until it works, then the feed emits revision
 * -1 and the revocation `null` so that subscribers catch up on what they may have missed meanwhile
 * (revocation listeners re-check the tokens they hold).
 */
@Injectable()
export class RevisionFeed implements OnModuleInit, OnModuleDestroy {
  readonly revisions = new Subject<number>();
  readonly revocations = new Subject<Revocation | null>();
  private readonly logger = new Logger('RevisionFeed');
  private client: Client | null = null;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private failedAttempts = 0;

  constructor(@Inject(DATABASE_CONFIG) private readonly config: DatabaseConfig) {}

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
    const client = new Client(pgOptions(this.config));
    client.on('notification', (message) => {
      if (message.channel === REVOCATION_CHANNEL) return this.revoked(message.payload ?? '');
      const revision = Number(message.payload);
      if (Number.isInteger(revision)) this.revisions.next(revision);
    });
    client.on('error', (error) => this.lost(client, error.message));
    client.on('end', () => this.lost(client, 'connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${REVISION_CHANNEL}; LISTEN ${REVOCATION_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  private revoked(payload: string): void {
    const [kind, id] = payload.split(':', 2);
    if ((kind === 'api' || kind === 'agent') && id) this.revocations.next({ kind, id });
  }

  /** Handles the loss of `client` (the current one): closes it and schedules a new LISTEN. */
  private lost(client: Client, reason: string): void {
    if (this.stopped || client !== this.client) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.logger.warn(`lost the LISTEN connection (${reason}); re-opening it every ${RETRY_MS / 1000} s`);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.listen().then(
        () => {
          this.logger.log(`LISTEN connection re-established after ${this.failedAttempts + 1} attempt(s)`);
          this.failedAttempts = 0;
          this.revisions.next(-1);
          this.revocations.next(null);
        },
        () => {
          this.failedAttempts += 1;
          this.scheduleRetry();
        },
      );
    }, RETRY_MS);
  }
}
