import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAgentChannel } from './support/agent-channel';
import { createTestDatabase, type TestDatabase } from './support/database';
import { eventually, startNode, type Proc } from './support/processes';
import { openEventStream } from './support/sse';
import { freePort } from './support/stack';

const CONTROL_PLANE = 'dist/control-plane/apps/control-plane/src/main.js';
const GRACE_MS = 10_000;

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * SIGTERM on a control plane with its embedded Postgres, a dashboard's live stream and an agent
 * channel open: it ends the stream, closes the channel (1001), stops HTTP and Postgres, and
 * exits 0 well within SWITCHBOARD_SHUTDOWN_GRACE_MS.
 */
describe('control plane shutdown', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'switchboard-shutdown-'));
  let proc: Proc | undefined;
  let database: TestDatabase | null = null;

  afterAll(async () => {
    await proc?.kill();
    await database?.drop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('exits 0 within its grace with a live stream and an agent channel open, closing both and stopping the embedded Postgres', async () => {
    chmodSync(tmp, 0o755); // the embedded Postgres (as root: user postgres) keeps its cluster here
    const adminToken = `sb_test_${randomBytes(16).toString('hex')}`;
    const port = await freePort();
    const pgPort = await freePort();
    const started = await startNode(
      'control-plane',
      [CONTROL_PLANE],
      {
        DATABASE_URL: '',
        SWITCHBOARD_DATA_DIR: join(tmp, 'data'),
        SWITCHBOARD_EMBEDDED_PG_PORT: String(pgPort),
        SWITCHBOARD_CONTROL_PORT: String(port),
        SWITCHBOARD_CONTROL_HOST: '127.0.0.1',
        SWITCHBOARD_ADMIN_TOKEN: adminToken,
        SWITCHBOARD_SHUTDOWN_GRACE_MS: String(GRACE_MS),
        LOG_LEVEL: 'info',
      },
      { timeoutMs: 120_000 },
    );
    proc = started.proc;
    expect(started.ready.embeddedPostgres).toBe(true);
    expect(await listening(pgPort)).toBe(true);
    const apiUrl = `http://127.0.0.1:${port}`;

    const created = await fetch(`${apiUrl}/api/v1/agent-tokens`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'shutdown' }) });
    const channel = await openAgentChannel(apiUrl, ((await created.json()) as { token: string }).token);
    channel.hello('shutdown-agent');
    await channel.next('welcome');
    const stream = await openEventStream(`${apiUrl}/api/v1/stats/stream`, adminToken);
    expect(stream.status).toBe(200);

    const exited = new Promise<{ code: number | null; at: number }>((resolve) => proc!.child.once('exit', (code) => resolve({ code, at: Date.now() })));
    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    const [exit, end, closed] = await Promise.all([exited, stream.ended, channel.closed]);
    process.stdout.write(
      `shutdown: stream ended after ${end.at - signalledAt} ms, agent channel closed (${closed.code}) after ${closed.at - signalledAt} ms, process exited ${exit.code} after ${exit.at - signalledAt} ms (grace ${GRACE_MS} ms)\n`,
    );
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(GRACE_MS / 2);
    expect(end.complete).toBe(true); // the stream's last chunk, not a reset
    expect(closed).toMatchObject({ code: 1001, reason: 'control plane shutting down' });
    expect(await listening(port)).toBe(false);
    expect(await listening(pgPort)).toBe(false); // the postmaster is gone
    expect(proc.output.join('\n')).not.toContain('SWITCHBOARD_SHUTDOWN_GRACE_MS=');
  });

  it('exits 1 once the grace has passed when a request never completes (a client that stops sending its body)', async (ctx) => {
    database = await createTestDatabase();
    if (!database) return ctx.skip(); // needs the test Postgres (a fast start); the embedded case is covered above
    const adminToken = `sb_test_${randomBytes(16).toString('hex')}`;
    const port = await freePort();
    const grace = 1500;
    const started = await startNode('control-plane', [CONTROL_PLANE], {
      DATABASE_URL: database.url,
      SWITCHBOARD_CONTROL_PORT: String(port),
      SWITCHBOARD_CONTROL_HOST: '127.0.0.1',
      SWITCHBOARD_ADMIN_TOKEN: adminToken,
      SWITCHBOARD_SHUTDOWN_GRACE_MS: String(grace),
    });
    proc = started.proc;
    const slow = tcpConnect(port, '127.0.0.1');
    const slowClosed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    slow.on('error', () => undefined);
    slow.write(`POST /api/v1/balancers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${adminToken}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":`);
    await eventually(() => listening(port), 5_000, 'the port to answer');

    const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((resolve) => proc!.child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    const signalledAt = Date.now();
    proc.child.kill('SIGTERM');
    const exit = await exited;
    await slowClosed;
    process.stdout.write(`shutdown held by an unfinished request: exited ${exit.code ?? exit.signal} after ${exit.at - signalledAt} ms (grace ${grace} ms)\n`);
    expect(exit, proc.output.join('\n')).toMatchObject({ code: 1 });
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(grace - 50);
    expect(exit.at - signalledAt).toBeLessThan(grace + 5000);
    expect(proc.output.join('\n')).toContain(`shutdown still running after SWITCHBOARD_SHUTDOWN_GRACE_MS=${grace}`);
  });
});
