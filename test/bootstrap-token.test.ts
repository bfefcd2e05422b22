import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startNode, type Proc } from './support/processes';
import { CONTROL_PLANE, freePort } from './support/stack';

/**
 * Issue 7 item 8: SWITCHBOARD_ADMIN_TOKEN only bootstraps a database that has no admin token.
 * Real control-plane processes on a fresh database per test.
 */
describe('bootstrap admin token', () => {
  const databases: TestDatabase[] = [];
  let procs: Proc[] = [];

  afterEach(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    procs = [];
  });
  afterAll(async () => {
    for (const db of databases) await db.drop().catch(() => undefined);
  });

  const freshDatabase = async (): Promise<TestDatabase> => {
    const db = await createTestDatabase();
    if (!db) throw new Error('these tests need the test Postgres (TEST_DATABASE_URL or 127.0.0.1:5432)');
    databases.push(db);
    return db;
  };

  /** Starts a control plane on `db`, with `adminToken` as SWITCHBOARD_ADMIN_TOKEN (unset when undefined). */
  const startControlPlane = async (db: TestDatabase, adminToken: string | undefined) => {
    const port = await freePort();
    const { proc } = await startNode(
      'control-plane',
      [CONTROL_PLANE],
      { DATABASE_URL: db.url, SWITCHBOARD_CONTROL_HOST: '127.0.0.1', SWITCHBOARD_CONTROL_PORT: String(port), SWITCHBOARD_ADMIN_TOKEN: adminToken ?? '', LOG_LEVEL: 'warn' },
      { timeoutMs: 120_000 },
    );
    procs.push(proc);
    const url = `http://127.0.0.1:${port}`;
    const call = async (token: string, method = 'GET', path = '/api/v1/me', body?: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    return { proc, call };
  };

  const newToken = () => `sb_env_${randomBytes(16).toString('hex')}`;
  const ignoredWarning = (proc: Proc) => proc.output.filter((line) => line.includes('SWITCHBOARD_ADMIN_TOKEN is ignored'));
  const printedTokens = (procs: Proc[]) => procs.flatMap((p) => p.output).filter((line) => /^SWITCHBOARD_ADMIN_TOKEN=sb_/.test(line));

  it('keeps a revoked bootstrap token revoked across restarts, and ignores a different value with a warning naming the variable', async () => {
    const db = await freshDatabase();
    const envToken = newToken();
    const first = await startControlPlane(db, envToken);
    expect((await first.call(envToken)).status).toBe(200);
    const second = await first.call(envToken, 'POST', '/api/v1/tokens', { name: 'second-admin', role: 'admin' });
    expect(second.status).toBe(201);
    const tokens = (await first.call(envToken, 'GET', '/api/v1/tokens')).body as { id: string; name: string }[];
    const bootstrap = tokens.find((t) => t.name === 'bootstrap-admin')!;
    expect((await first.call(second.body.token, 'DELETE', `/api/v1/tokens/${bootstrap.id}`)).status).toBe(200);
    expect((await first.call(envToken)).status).toBe(401);
    await first.proc.stop();

    const restarted = await startControlPlane(db, envToken);
    expect((await restarted.call(envToken)).status).toBe(401);
    expect((await restarted.call(second.body.token)).status).toBe(200);
    expect(ignoredWarning(restarted.proc)).toHaveLength(1);
    const afterRestart = (await restarted.call(second.body.token, 'GET', '/api/v1/tokens')).body as { name: string; revokedAt: string | null }[];
    expect(afterRestart).toEqual([expect.objectContaining({ name: 'bootstrap-admin', revokedAt: expect.any(String) }), expect.objectContaining({ name: 'second-admin', revokedAt: null })]);
    await restarted.proc.stop();

    const otherToken = newToken();
    const other = await startControlPlane(db, otherToken);
    expect((await other.call(otherToken)).status).toBe(401);
    expect(ignoredWarning(other.proc)).toHaveLength(1);
    expect(ignoredWarning(other.proc)[0]).toMatch(/"level":40/);
    expect(((await other.call(second.body.token, 'GET', '/api/v1/tokens')).body as unknown[]).length).toBe(2);
  });

  it('two replicas starting at the same moment on an empty database with the same token: one admin token row, both serve', async () => {
    const db = await freshDatabase();
    const envToken = newToken();
    const replicas = await Promise.all([startControlPlane(db, envToken), startControlPlane(db, envToken)]);
    for (const replica of replicas) {
      expect((await replica.call(envToken)).status).toBe(200);
      expect(ignoredWarning(replica.proc)).toEqual([]);
    }
    const tokens = (await replicas[0].call(envToken, 'GET', '/api/v1/tokens')).body as { name: string; role: string }[];
    expect(tokens).toEqual([expect.objectContaining({ name: 'bootstrap-admin', role: 'admin', revokedAt: null })]);
    expect(((await replicas[1].call(envToken, 'GET', '/api/v1/revisions')).body as { number: number }[]).map((r) => r.number)).toEqual([0]);
  });

  it('without the variable, two replicas starting at once on an empty database generate one token, printed once, and never again', async () => {
    const db = await freshDatabase();
    const replicas = await Promise.all([startControlPlane(db, undefined), startControlPlane(db, undefined)]);
    const printed = printedTokens(replicas.map((r) => r.proc));
    expect(printed).toHaveLength(1);
    const token = printed[0].slice('SWITCHBOARD_ADMIN_TOKEN='.length);
    for (const replica of replicas) expect((await replica.call(token)).status).toBe(200);
    expect(((await replicas[0].call(token, 'GET', '/api/v1/tokens')).body as unknown[]).length).toBe(1);

    await replicas[0].proc.stop();
    const restarted = await startControlPlane(db, undefined);
    expect((await restarted.call(token)).status).toBe(200);
    expect(printedTokens([restarted.proc])).toEqual([]);
  });
});
