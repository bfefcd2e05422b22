import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgent, startAgentProcess } from '../testing/agent-process';
import type { AgentProcess } from '../testing/agent-process';
import { FakeControlPlane } from '../testing/control-plane';
import { balancer, member, route, snapshotOf } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { waitFor } from '../testing/wait';

// Issue 7, item 2: a regex route `^/(a+)+$` and a 26-character path took 258 ms in the agent,
// doubling per character, so one anonymous request could stall every client of the agent.
// Routes now run on RE2 (linear time). The agent runs as its own process here, so that a
// regression shows up as this test timing out rather than as a frozen test runner.

/** A path of 15,000 a's then a mismatch: about 2^15000 steps for a backtracking engine, one pass for RE2. */
const ATTACK = `/${'a'.repeat(15_000)}!`;

let mainJs: string;
let cleanup: () => Promise<void> = () => Promise.resolve();
let controlPlane: FakeControlPlane;
let evil: RecordingMember;
let good: RecordingMember;
let agent: AgentProcess;
let port: number;

beforeAll(async () => {
  ({ mainJs, cleanup } = await buildAgent());
  controlPlane = await new FakeControlPlane().start();
  evil = await new RecordingMember().start();
  good = await new RecordingMember().start();
  controlPlane.snapshot = snapshotOf(1, {
    balancers: [balancer('evil', [member('e1', evil.url())]), balancer('good', [member('g1', good.url())])],
    routes: [
      route('nested', 'evil', { match: { type: 'regex', path: '^/(a+)+$' } }),
      route('nested-strip', 'evil', { match: { type: 'regex', path: '^/(b+)+/' }, stripPrefix: true }),
      route('ok', 'good', { match: { type: 'prefix', path: '/ok' }, stripPrefix: true }),
    ],
  });
  agent = await startAgentProcess(mainJs, controlPlane.url);
  port = agent.port;
  await controlPlane.next('ack', (ack) => ack.revision === 1);
});

afterAll(async () => {
  if (agent && agent.child.exitCode === null) {
    agent.child.kill('SIGKILL');
    await once(agent.child, 'exit');
  }
  await controlPlane?.close();
  await evil?.close();
  await good?.close();
  await cleanup();
});

const plain = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
const upgrade = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`;

/** Sends `payload` over and over on fresh connections until `stop()` is true; each answer must be a 404 naming no route. */
async function attackUntil(payload: string, stop: () => boolean, answered: { count: number }): Promise<void> {
  while (!stop()) {
    const answer = await RawPeer.exchange(port, payload);
    expect(answer).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(answer).toContain('no route matches GET /aaaa');
    answered.count += 1;
  }
}

describe('regex routes under a ReDoS pattern', () => {
  it('answer attack paths (plain and upgrade) with 404 while another client is served on another route', async () => {
    let done = false;
    const answered = { count: 0 };
    const attackers = [attackUntil(plain(ATTACK), () => done, answered), attackUntil(upgrade(ATTACK), () => done, answered)];
    try {
      await waitFor(() => answered.count >= 4, 'attack requests to be answered', 30_000);
      // The other client, while attacks are still being sent:
      const res = await fetch(`http://127.0.0.1:${port}/ok/ping`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('seen GET /ping');
    } finally {
      done = true;
      await Promise.all(attackers);
    }
    expect(evil.requests).toEqual([]);
    expect(good.urls).toEqual(['/ping']);
  });

  it('still route a long matching path, and strip a long match at the start', async () => {
    const long = `/${'a'.repeat(15_000)}`;
    expect(await RawPeer.exchange(port, plain(long))).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const stripped = await RawPeer.exchange(port, plain(`/${'b'.repeat(15_000)}/rest?q=1`));
    expect(stripped).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*seen GET \/rest\?q=1$/);
    expect(evil.urls.slice(-2)).toEqual([long, '/rest?q=1']);
  });

  it('nacks a snapshot whose regex RE2 cannot compile, naming the construct, and keeps serving', async () => {
    const bad = snapshotOf(2, { balancers: [balancer('evil', [member('e1', evil.url())])], routes: [route('ahead', 'evil', { match: { type: 'regex', path: '^/(?=admin)' } })] });
    controlPlane.publish(bad);
    const nack = await controlPlane.next('nack', (message) => message.revision === 2);
    expect(nack.reason).toContain('routes.0.match.path: lookahead (?=…) is not supported: route regexes use RE2 syntax');
    const res = await fetch(`http://127.0.0.1:${port}/ok/again`);
    expect(await res.text()).toBe('seen GET /again');
  });
});
