/**
 * AuthService.bootstrapAdmin under real contention: eight clients (each its own connection pool,
 * as eight replicas would have) bootstrap one empty database at the same instant. The process
 * tests in test/bootstrap-token.test.ts start real replicas, whose start-up rarely overlaps this
 * tightly. Needs the test Postgres (TEST_DATABASE_URL, else 127.0.0.1:5432), as
 * prisma/schema-drift.test.ts; creates and drops `sb_boot_<random>` databases.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { applyMigrations } from '../database/migrate';
import { PrismaService } from '../database/prisma.service';
import { AuthService } from './auth.service';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REPLICAS = 8;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('AuthService.bootstrapAdmin', () => {
  const databases: string[] = [];
  const clients: PrismaService[] = [];

  /** A migrated empty database and REPLICAS services on it, each with its own pool. */
  const replicas = async (): Promise<{ services: AuthService[]; prisma: PrismaService }> => {
    const name = `sb_boot_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE "${name}"`);
    databases.push(name);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    await applyMigrations(url.toString());
    const config = { url: url.toString(), connectTimeoutMs: 5000, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 10_000, transactionTimeoutMs: 15_000 };
    const pools = Array.from({ length: REPLICAS }, () => new PrismaService(config));
    clients.push(...pools);
    // Connected beforehand, so that the eight bootstraps reach Postgres together rather than in connection order.
    await Promise.all(pools.map((p) => p.$queryRaw`SELECT 1`));
    return { services: pools.map((p) => new AuthService(p)), prisma: pools[0] };
  };

  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.$disconnect()));
    for (const name of databases) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it(`with ${REPLICAS} replicas at once and no SWITCHBOARD_ADMIN_TOKEN: one token generated, printed once`, async () => {
    const { services, prisma } = await replicas();
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (String(chunk).includes('SWITCHBOARD_ADMIN_TOKEN=')) printed.push(String(chunk));
      return write(chunk, ...(rest as []));
    });
    const generated = (await Promise.all(services.map((s) => s.bootstrapAdmin(undefined)))).filter((t) => t !== null);
    expect(generated).toHaveLength(1);
    expect(printed).toEqual([`\nSWITCHBOARD_ADMIN_TOKEN=${generated[0]}\n\n`]);
    expect(await prisma.apiToken.count()).toBe(1);
  });

  it(`with ${REPLICAS} replicas at once and one SWITCHBOARD_ADMIN_TOKEN: one admin row; revoked, it stays revoked`, async () => {
    const { services, prisma } = await replicas();
    const token = `sb_env_${randomBytes(16).toString('hex')}`;
    await Promise.all(services.map((s) => s.bootstrapAdmin(token)));
    expect(await prisma.apiToken.findMany({ select: { name: true, role: true, revokedAt: true } })).toEqual([{ name: 'bootstrap-admin', role: 'admin', revokedAt: null }]);
    expect(await services[1].verifyApiToken(token)).toMatchObject({ role: 'admin' });

    await prisma.apiToken.updateMany({ data: { revokedAt: new Date() } });
    await Promise.all(services.map((s) => s.bootstrapAdmin(token)));
    await services[0].bootstrapAdmin(`sb_env_${randomBytes(16).toString('hex')}`);
    expect(await services[2].verifyApiToken(token)).toBeNull();
    expect(await prisma.apiToken.count()).toBe(1);
  });
});
