import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseConfig } from '../database/database-config';
import { PrismaService } from '../database/prisma.service';
import { isDatabaseUnavailable } from './database-errors';
import { Problem } from './problem';

/**
 * The errors are produced for real, by PrismaService (adapter-pg) with the product's timeouts:
 * against a closed port, a server that accepts and never speaks, and the test Postgres
 * (TEST_DATABASE_URL, else 127.0.0.1:5432, as prisma/schema-drift.test.ts).
 */
const TEST_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const prismaAt = (url: string, timeouts: Partial<DatabaseConfig> = {}) =>
  new PrismaService({ url, connectTimeoutMs: 500, statementTimeoutMs: 10_000, idleInTransactionTimeoutMs: 10_000, transactionTimeoutMs: 10_000, ...timeouts });

const failure = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};

describe('isDatabaseUnavailable', () => {
  let silent: Server;
  let silentUrl: string;
  const clients: PrismaService[] = [];
  const client = (url: string, timeouts?: Partial<DatabaseConfig>) => {
    const prisma = prismaAt(url, timeouts);
    clients.push(prisma);
    return prisma;
  };

  beforeAll(async () => {
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `postgresql://postgres@127.0.0.1:${(silent.address() as { port: number }).port}/x`;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.$disconnect().catch(() => undefined)));
    silent.close();
  });

  it('recognises a refused connection, for model queries, raw queries and interactive transactions (P1001, DatabaseNotReachable)', async () => {
    const prisma = client('postgresql://postgres@127.0.0.1:1/x');
    for (const error of [
      await failure(() => prisma.apiToken.count()),
      await failure(() => prisma.$queryRaw`SELECT 1`),
      await failure(() => prisma.$transaction((tx) => tx.apiToken.count())),
    ]) {
      expect(isDatabaseUnavailable(error)).toBe(true);
    }
  });

  it('recognises a connection timeout against a server that never answers, within the connect timeout', async () => {
    const prisma = client(silentUrl, { connectTimeoutMs: 300 });
    const started = Date.now();
    const errors = [await failure(() => prisma.apiToken.count()), await failure(() => prisma.$transaction((tx) => tx.apiToken.count()))];
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const error of errors) expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('recognises a statement timeout (57014) and a connection ended by the server (57P01), not a plain SQL error', async () => {
    const prisma = client(TEST_URL, { statementTimeoutMs: 200 });
    expect(isDatabaseUnavailable(await failure(() => prisma.$queryRaw`SELECT pg_sleep(2)`))).toBe(true);
    expect(isDatabaseUnavailable(await failure(() => prisma.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`))).toBe(true);
    expect(isDatabaseUnavailable(await failure(() => prisma.$queryRaw`SELECT 1/0`))).toBe(false);
    expect(await prisma.$queryRaw`SELECT 1 AS one`).toEqual([{ one: 1 }]);
  });

  it('recognises the shapes pg and the socket use without Prisma, anywhere in the cause chain', () => {
    const econnreset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: econnreset }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('server closed'), { code: 'P1017' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('pool'), { code: 'P2024' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('db'), { code: '08006' }))).toBe(true);
  });

  it('leaves everything else alone: request errors, unique violations, bugs', () => {
    expect(isDatabaseUnavailable(new Problem('not-found', 'no such thing'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
