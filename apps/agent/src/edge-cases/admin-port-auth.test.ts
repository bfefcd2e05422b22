import { Agent as HttpAgent, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../testing/agent-harness';
import type { RunningAgent } from '../testing/agent-harness';
import { TestPki } from '../testing/certs';
import { FakeControlPlane } from '../testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../testing/fixtures';
import { SettingsError } from '../settings';

// The admin port's /config lists every member URL and /metrics the traffic to each: bound beyond
// loopback it must not answer anyone on the network. With SWITCHBOARD_ADMIN_TOKEN_FILE every
// request needs `Authorization: Bearer <token>`, whatever its path or method (an unknown path
// answers 401 too, so nothing can be probed), and a bad request does not spoil the connection.

const TOKEN = 'admin-0123456789-abcdef';
const MEMBER_URL = 'http://10.9.8.7:8080';
const PATHS = ['/healthz', '/metrics', '/config'];

let pki: TestPki;
let tokenFile: string;
let controlPlane: FakeControlPlane;

beforeAll(async () => {
  pki = new TestPki();
  tokenFile = pki.write('admin-token', `${TOKEN}\n`);
  controlPlane = await new FakeControlPlane().start();
  controlPlane.snapshot = snapshotOf(3, singleBalancer([member('m1', MEMBER_URL)]));
});

afterAll(async () => {
  await controlPlane.close();
  pki.remove();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** True when the request went out on a connection an earlier request used. */
  reused: boolean;
}

/** One request through `agent` (keep-alive, one socket: requests follow each other on one connection). */
function admin(port: number, path: string, headers: Record<string, string>, agent: HttpAgent, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

const WRONG: [string, Record<string, string>][] = [
  ['no Authorization', {}],
  ['a wrong token of the same length', { authorization: `Bearer ${TOKEN.replace(/f$/, 'g')}` }],
  ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
  ['the token and more', { authorization: `Bearer ${TOKEN}x` }],
  ['the token as Basic credentials', { authorization: `Basic ${TOKEN}` }],
  ['Bearer without a token', { authorization: 'Bearer ' }],
  ['the token without a scheme', { authorization: TOKEN }],
  ['two tokens', { authorization: `Bearer ${TOKEN}, Bearer ${TOKEN}` }],
];

describe('admin port bound to 0.0.0.0 with SWITCHBOARD_ADMIN_TOKEN_FILE', () => {
  let agent: RunningAgent;
  const lines: { msg: string; adminHost?: string }[] = [];
  const pool = new HttpAgent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { msg: string }) });
    agent = await startAgent(controlPlane.url, { logger, env: { SWITCHBOARD_ADMIN_LISTEN: '0.0.0.0:0', SWITCHBOARD_ADMIN_TOKEN_FILE: tokenFile } });
    await controlPlane.next('ack', (ack) => ack.revision === 3);
  });

  afterAll(async () => {
    pool.destroy();
    await agent.stop();
  });

  it('listens on every interface', () => {
    expect(lines.find((line) => line.msg === 'listening')).toMatchObject({ adminHost: '0.0.0.0' });
  });

  describe.each(WRONG)('%s', (_name, headers) => {
    it.each(PATHS.flatMap((path) => [['GET', path], ['HEAD', path]]))('%s %s → 401, nothing of the configuration shown', async (method, path) => {
      const answer = await admin(agent.adminPort, path, headers, pool, method);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="switchboard-agent"');
      expect(answer.body).not.toContain('10.9.8.7');
      expect(answer.body).not.toContain('switchboard_agent');
    });

    it('an unknown path and another method → 401 as well (nothing to probe)', async () => {
      expect((await admin(agent.adminPort, '/nope', headers, pool)).status).toBe(401);
      expect((await admin(agent.adminPort, '/config', headers, pool, 'POST')).status).toBe(401);
    });
  });

  it.each(PATHS)('GET %s with the token → 200, on the connection that was just refused', async (path) => {
    const refused = await admin(agent.adminPort, path, {}, pool);
    const answer = await admin(agent.adminPort, path, { authorization: `Bearer ${TOKEN}` }, pool);
    expect(refused.status).toBe(401);
    expect(answer.reused).toBe(true);
    expect(answer.status).toBe(200);
    if (path === '/config') expect(answer.body).toContain(MEMBER_URL);
    if (path === '/metrics') expect(answer.body).toContain('switchboard_agent_revision 3');
  });

  it('takes the scheme in any case (RFC 9110 §11.1); 404 and 405 only once authenticated', async () => {
    expect((await admin(agent.adminPort, '/healthz', { authorization: `bEARER ${TOKEN}` }, pool)).status).toBe(200);
    expect((await admin(agent.adminPort, '/nope', { authorization: `Bearer ${TOKEN}` }, pool)).status).toBe(404);
    expect((await admin(agent.adminPort, '/config', { authorization: `Bearer ${TOKEN}` }, pool, 'POST')).status).toBe(405);
  });
});

describe('admin port token', () => {
  it('refuses to start on 0.0.0.0 without SWITCHBOARD_ADMIN_TOKEN_FILE, naming it', async () => {
    const start = startAgent(controlPlane.url, { env: { SWITCHBOARD_ADMIN_LISTEN: '0.0.0.0:0' } });
    await expect(start).rejects.toThrow(SettingsError);
    await expect(start).rejects.toThrow(/SWITCHBOARD_ADMIN_TOKEN_FILE: is required when SWITCHBOARD_ADMIN_LISTEN is not loopback/);
  });

  it('is enforced on loopback too when set', async () => {
    const agent = await startAgent(controlPlane.url, { env: { SWITCHBOARD_ADMIN_TOKEN_FILE: tokenFile } });
    const pool = new HttpAgent({ keepAlive: false });
    try {
      for (const path of PATHS) {
        expect((await admin(agent.adminPort, path, {}, pool)).status).toBe(401);
        expect((await admin(agent.adminPort, path, { authorization: `Bearer ${TOKEN}` }, pool)).status).toBe(200);
      }
    } finally {
      await agent.stop();
    }
  });
});
