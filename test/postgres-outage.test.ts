import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../apps/control-plane/src/database/embedded-postgres';
import { connect, wsUrl, type Client } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { eventually } from './support/processes';
import { freePort, startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

/** SWITCHBOARD_DB_CONNECT_TIMEOUT_MS and SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS of this test's control plane (defaults 5000 and 10000). */
const CONNECT_TIMEOUT_MS = 1_000;
const STATEMENT_TIMEOUT_MS = 2_000;
/** Upper bound of any answer while Postgres is gone or stuck: the client-side query timeout (statement + 1 s) plus room for a contended CPU. */
const ANSWER_BOUND_MS = STATEMENT_TIMEOUT_MS + 1_000 + 4_000;

/** Answer of an agent-channel upgrade attempt. */
interface UpgradeAnswer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

/** Tries the agent channel's upgrade with `token`, as an agent does; a 101 is closed at once. */
function tryAgentUpgrade(apiUrl: string, token: string): Promise<UpgradeAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${apiUrl}/agents/connect`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), authorization: `Bearer ${token}` },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, retryAfter: undefined, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Issue 7 item 9: Postgres stopped under a running stack (control plane, agent, backend, each a
 * process). The control plane runs against a throwaway cluster of this test's own (the product's
 * embedded Postgres), which is stopped with a fast shutdown and started again.
 */
describe('Postgres outage', () => {
  const pgOptions = { dataDir: '', port: 0, log: () => undefined };
  let postgres: EmbeddedPostgres;
  let stack: Stack;
  let backend: EchoBackend;
  let balancerId: string;
  let memberId: string;
  let routeId: string;
  let agentToken: string;
  let tunnel: Client;

  beforeAll(async () => {
    // Traversable by the OS user postgres, so the cluster stays here (embedded-postgres.ts, "as root").
    pgOptions.dataDir = mkdtempSync(join(tmpdir(), 'switchboard-pg-outage-'));
    chmodSync(pgOptions.dataDir, 0o755);
    pgOptions.port = await freePort();
    postgres = await startEmbeddedPostgres(pgOptions);
    stack = await startStack({
      databaseUrl: postgres.url,
      controlEnv: { LOG_LEVEL: 'info', SWITCHBOARD_DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS), SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) },
    });
    backend = await startEchoBackend('pg-outage');
    const created = await createBalancer(stack, 'outage', [{ url: backend.url, name: 'one' }]);
    balancerId = created.balancerId;
    memberId = created.memberIds.one;
    await agentAtRevision(stack.agentAdminUrl, created.revision);
    routeId = (await stack.api<{ id: string }[]>('GET', '/api/v1/routes')).body[0].id;
    agentToken = (await stack.api<{ token: string }>('POST', '/api/v1/agent-tokens', { name: 'probe' })).body.token;
    expect((await tryAgentUpgrade(stack.apiUrl, agentToken)).status).toBe(101);
    tunnel = await connect(wsUrl(stack.agentUrl, '/outage/ws'));
    expect(await tunnel.roundTrip('before')).toBe('pg-outage: before');
  });
  afterAll(async () => {
    tunnel?.close();
    await stack?.stop();
    await backend?.close();
    await postgres?.stop();
    if (postgres?.pgdata) rmSync(postgres.pgdata, { recursive: true, force: true });
    if (pgOptions.dataDir) rmSync(pgOptions.dataDir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After while Postgres is stopped, keeps the agents serving, and recovers without a restart', async () => {
    await postgres.stop();
    const stoppedAt = Date.now();

    const calls: [string, string, unknown?][] = [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/balancers'],
      ['GET', `/api/v1/balancers/${balancerId}`],
      ['GET', `/api/v1/balancers/${balancerId}/members`],
      ['GET', '/api/v1/routes'],
      ['GET', '/api/v1/revisions'],
      ['GET', '/api/v1/audit'],
      ['GET', '/api/v1/agents'],
      ['GET', '/api/v1/tokens'],
      ['POST', '/api/v1/balancers', { name: 'during-outage' }],
      ['POST', `/api/v1/balancers/${balancerId}/members`, { url: 'http://127.0.0.1:9', name: 'during' }],
      ['POST', '/api/v1/routes', { balancerId, match: { type: 'prefix', path: '/during' } }],
      ['POST', '/api/v1/agent-tokens', { name: 'during' }],
      ['PATCH', `/api/v1/balancers/${balancerId}`, { lbMethod: 'byrequests' }],
      ['PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { weight: 7 }],
      ['DELETE', `/api/v1/routes/${routeId}`],
      ['DELETE', `/api/v1/balancers/${balancerId}/members/${memberId}`],
    ];
    const latencies: number[] = [];
    for (const [method, path, body] of calls) {
      const started = Date.now();
      const answer = await stack.api(method, path, body);
      latencies.push(Date.now() - started);
      expect({ call: `${method} ${path}`, status: answer.status }).toEqual({ call: `${method} ${path}`, status: 503 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(answer.body).toMatchObject({ type: 'urn:switchboard:problem:unavailable', status: 503 });
    }
    // An unknown token cannot be checked either: 503, not 401.
    const unknown = await fetch(`${stack.apiUrl}/api/v1/balancers`, { headers: { authorization: 'Bearer sb_not_a_token' } });
    expect(unknown.status).toBe(503);
    expect(Math.max(...latencies)).toBeLessThan(ANSWER_BOUND_MS);
    console.log(`503 latency with Postgres stopped over ${latencies.length} calls: median ${median(latencies)} ms, max ${Math.max(...latencies)} ms`);

    const ready = await fetch(`${stack.apiUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);

    const upgrade = await tryAgentUpgrade(stack.apiUrl, agentToken);
    expect(upgrade.status).toBe(503);
    expect(upgrade.retryAfter).toMatch(/^\d+$/);
    expect(JSON.parse(upgrade.body)).toMatchObject({ type: 'urn:switchboard:problem:unavailable', status: 503 });

    expect(await tunnel.roundTrip('during')).toBe('pg-outage: during');
    const fresh = await connect(wsUrl(stack.agentUrl, '/outage/ws'));
    expect(await fresh.roundTrip('new during')).toBe('pg-outage: new during');
    fresh.close();
    const http = await fetch(`${stack.agentUrl}/outage/plain`);
    expect(http.status).toBe(200);
    expect(await http.text()).toBe('pg-outage GET /outage/plain');

    // A real agent starting now is answered 503 and retries on its normal backoff (not the slow "refused" one).
    const late = await stack.startAgent({ name: 'late' });
    await eventually(() => late.proc.output.some((line) => line.includes('control plane unavailable')), 30_000, 'the late agent to log the 503');
    expect(late.proc.output.filter((line) => line.includes('control plane refused this agent'))).toEqual([]);
    console.log(`Postgres was stopped for ${Date.now() - stoppedAt} ms`);

    postgres = await startEmbeddedPostgres(pgOptions);
    const restartedAt = Date.now();
    await eventually(async () => (await stack.api('GET', '/api/v1/balancers')).status === 200, 30_000, 'the API to answer again');
    const recoveryMs = Date.now() - restartedAt;
    expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200);
    expect((await tryAgentUpgrade(stack.apiUrl, agentToken)).status).toBe(101);
    await eventually(() => stack.controlPlaneOutput().some((line) => line.includes('LISTEN connection re-established')), 30_000, 'the LISTEN connection to be re-established');
    const listenMs = Date.now() - restartedAt;
    console.log(`after Postgres was back: API answered in ${recoveryMs} ms, LISTEN re-established in ${listenMs} ms`);

    const write = await stack.api('PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { weight: 9 });
    expect(write.status).toBe(200);
    const revision = Number(write.headers.get('switchboard-revision'));
    const reachedMs = await agentAtRevision(stack.agentAdminUrl, revision, 30_000);
    const config = (await (await fetch(`${stack.agentAdminUrl}/config`)).json()) as { revision: number; config: { balancers: { members: { weight: number }[] }[] } };
    expect(config.revision).toBe(revision);
    expect(config.config.balancers[0].members[0].weight).toBe(9);
    const lateMs = await agentAtRevision(late.adminUrl, revision, 30_000);
    expect(late.proc.output.filter((line) => line.includes('control plane refused this agent'))).toEqual([]);
    console.log(`write after recovery reached the connected agent's /config in ${reachedMs} ms, the agent started during the outage in ${lateMs} ms`);
    expect(await tunnel.roundTrip('after')).toBe('pg-outage: after');
  });

  it('answers 503 within the database timeouts when Postgres accepts connections but stops answering, and recovers', async () => {
    const pids = postgresPids(postgres.pgdata);
    const latencies: number[] = [];
    signalAll(pids, 'SIGSTOP');
    try {
      const calls: [string, string, unknown?][] = [
        ['GET', '/api/v1/balancers'],
        ['GET', `/api/v1/balancers/${balancerId}/members`],
        ['PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { weight: 3 }],
        ['POST', '/api/v1/routes', { balancerId, match: { type: 'prefix', path: '/stuck' } }],
        ['GET', '/api/v1/me'],
      ];
      for (const [method, path, body] of calls) {
        const started = Date.now();
        const answer = await stack.api(method, path, body);
        latencies.push(Date.now() - started);
        expect({ call: `${method} ${path}`, status: answer.status, type: answer.body.type }).toEqual({ call: `${method} ${path}`, status: 503, type: 'urn:switchboard:problem:unavailable' });
        expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
      }
      const started = Date.now();
      expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(503);
      latencies.push(Date.now() - started);
      expect(await tunnel.roundTrip('stuck')).toBe('pg-outage: stuck');
    } finally {
      signalAll(pids, 'SIGCONT');
    }
    expect(Math.max(...latencies)).toBeLessThan(ANSWER_BOUND_MS);
    console.log(`503 latency with Postgres stuck (SIGSTOP), connect timeout ${CONNECT_TIMEOUT_MS} ms and statement timeout ${STATEMENT_TIMEOUT_MS} ms: median ${median(latencies)} ms, max ${Math.max(...latencies)} ms`);
    const resumedAt = Date.now();
    await eventually(async () => (await stack.api('GET', '/api/v1/balancers')).status === 200, 30_000, 'the API to answer again');
    console.log(`API answered ${Date.now() - resumedAt} ms after Postgres resumed`);
    const write = await stack.api('PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { weight: 4 });
    expect(write.status).toBe(200);
    await agentAtRevision(stack.agentAdminUrl, Number(write.headers.get('switchboard-revision')), 30_000);
  });
});

/** The postmaster of the cluster in `pgdata` (from its postmaster.pid) and its child processes. */
function postgresPids(pgdata: string): number[] {
  const postmaster = Number(readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so split after the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
