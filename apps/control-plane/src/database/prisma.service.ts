import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { DATABASE_CONFIG, pgOptions, type DatabaseConfig } from './database-config';

/**
 * The Prisma client, talking to Postgres through @prisma/adapter-pg (no native query engine),
 * with the connection, statement and transaction timeouts of DatabaseConfig.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(DATABASE_CONFIG) config: DatabaseConfig) {
    super({
      adapter: new PrismaPg(pgOptions(config)),
      transactionOptions: { maxWait: config.connectTimeoutMs, timeout: config.transactionTimeoutMs },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}

/** A Prisma client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;
