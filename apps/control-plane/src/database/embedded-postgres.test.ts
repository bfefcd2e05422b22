import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

/** A TCP port that was free a moment ago. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  // mkdtemp folders are mode 700: as root this also exercises the relocated-cluster layout.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-embedded-pg-'));
  const started: EmbeddedPostgres[] = [];

  afterAll(async () => {
    for (const server of started) await server.stop();
    for (const dir of new Set([dataDir, ...started.map((s) => s.pgdata)])) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('initialises, serves the switchboard database, stops, and keeps its data across restarts', async () => {
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port });
    started.push(first);
    expect(new URL(first.url).pathname).toBe('/switchboard');
    expect(new URL(first.url).hostname).toBe('127.0.0.1');
    await query(first.url, 'CREATE TABLE kept (note text); INSERT INTO kept VALUES ($$hello$$)');
    await first.stop();
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow(); // really stopped
    expect(fs.existsSync(path.join(first.pgdata, 'postmaster.pid'))).toBe(false);

    const second = await startEmbeddedPostgres({ dataDir, port });
    started.push(second);
    expect(second.url).toBe(first.url); // same generated password, kept in the data dir
    expect(await query<{ note: string }>(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'hello' }]);
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'password'))).toBe(true);
    await second.stop();
    await second.stop(); // idempotent
  });

  it('refuses a port that is already taken, with the port in the message', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startEmbeddedPostgres({ dataDir, port })).rejects.toThrow(`Port ${port}`);
    } finally {
      blocker.close();
    }
  });
});
