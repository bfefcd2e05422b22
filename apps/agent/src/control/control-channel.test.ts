import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { CLOSE_CODES, PROTOCOL_VERSION } from '@switchboard/protocol';
import { AGENT_VERSION } from '../version';
import { startAgent } from '../testing/agent-harness';
import type { RunningAgent } from '../testing/agent-harness';
import { startBackends } from '../testing/backends';
import type { Backend } from '../testing/backends';
import { FakeControlPlane } from '../testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../testing/fixtures';
import { waitFor } from '../testing/wait';

let controlPlane: FakeControlPlane;
let backends: Backend[];
let agent: RunningAgent | undefined;

beforeEach(async () => {
  controlPlane = await new FakeControlPlane().start();
  backends = await startBackends(2);
});

afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await controlPlane.close();
  await Promise.all(backends.map((b) => b.close()));
});

/** A logger whose JSON lines are kept, parsed, in `lines`. */
function capturedLogger(): { logger: Logger; lines: ({ msg: string; level: number } & Record<string, unknown>)[] } {
  const lines: ({ msg: string; level: number } & Record<string, unknown>)[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { msg: string; level: number });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const configOn = (backend: Backend) => singleBalancer([member('m1', backend.url('http'))]);

async function backendAnswering(): Promise<string> {
  const res = await fetch(agent!.http('/'));
  return ((await res.json()) as { backend: string }).backend;
}

describe('control channel', () => {
  it('says hello with the protocol version, agent identity and what it serves', async () => {
    agent = await startAgent(controlPlane.url);
    const hello = await controlPlane.next('hello');
    expect(hello).toEqual({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      agent: { name: 'test-agent', hostname: hostname(), version: AGENT_VERSION },
      revision: null,
      hash: null,
    });
  });

  it('applies a snapshot, acks it with its hash, and serves it', async () => {
    const snapshot = snapshotOf(5, configOn(backends[0]!));
    controlPlane.snapshot = snapshot;
    agent = await startAgent(controlPlane.url);
    expect(await controlPlane.next('ack')).toEqual({ type: 'ack', revision: 5, hash: snapshot.hash });
    expect(await backendAnswering()).toBe('b1');
    const config = (await (await fetch(agent.admin('/config'))).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ revision: 5, hash: snapshot.hash, source: 'control-plane', config: snapshot.config });
  });

  it('nacks an invalid snapshot with the reason and keeps serving the previous one', async () => {
    controlPlane.snapshot = snapshotOf(1, configOn(backends[0]!));
    agent = await startAgent(controlPlane.url);
    await controlPlane.next('ack');
    const bad = snapshotOf(2, singleBalancer([member('m1', 'not a url', { weight: 1000 })]));
    controlPlane.publish(bad);
    const nack = await controlPlane.next('nack');
    expect(nack.revision).toBe(2);
    expect(nack.reason).toContain('config.balancers.0.members.0.url: must be an absolute http, https, ws or wss URL');
    expect(nack.reason).toContain('config.balancers.0.members.0.weight');
    expect(agent.agent.state.current!.revision).toBe(1);
    expect(await backendAnswering()).toBe('b1');
  });

  it('nacks a snapshot whose hash does not match its config', async () => {
    agent = await startAgent(controlPlane.url);
    await controlPlane.next('hello');
    controlPlane.broadcast({ type: 'snapshot', ...snapshotOf(3, configOn(backends[0]!)), hash: '0'.repeat(64) });
    expect(await controlPlane.next('nack')).toMatchObject({ revision: 3, reason: expect.stringMatching(/^hash: does not match/) as unknown });
    expect(agent.agent.state.current).toBeNull();
  });

  it('acks a snapshot with the hash it already serves without re-applying it', async () => {
    const first = snapshotOf(1, configOn(backends[0]!));
    controlPlane.snapshot = first;
    agent = await startAgent(controlPlane.url);
    await controlPlane.next('ack');
    const runtime = agent.agent.state.current!.runtime;
    controlPlane.publish({ ...first, revision: 2 });
    expect(await controlPlane.next('ack', (a) => a.revision === 2)).toEqual({ type: 'ack', revision: 2, hash: first.hash });
    expect(agent.agent.state.current!.runtime).toBe(runtime);
  });

  it('applies the latest of several snapshots, acking each in order', async () => {
    agent = await startAgent(controlPlane.url);
    await controlPlane.next('hello');
    for (let revision = 1; revision <= 5; revision++) controlPlane.publish(snapshotOf(revision, configOn(backends[revision % 2]!)));
    await controlPlane.next('ack', (a) => a.revision === 5);
    expect(controlPlane.messages.filter((m) => m.type === 'ack').map((m) => m.revision)).toEqual([1, 2, 3, 4, 5]);
    expect(await backendAnswering()).toBe('b2');
  });

  it('sends stats about its members, cumulative', async () => {
    controlPlane.snapshot = snapshotOf(1, configOn(backends[0]!));
    agent = await startAgent(controlPlane.url);
    await controlPlane.next('ack');
    await backendAnswering();
    await backendAnswering();
    const stats = await controlPlane.next('stats', (s) => s.members[0]?.elected === 2);
    expect(stats).toEqual({
      type: 'stats',
      revision: 1,
      members: [{ balancerId: 'b1', memberId: 'm1', openTunnels: 0, inflightRequests: 0, elected: 2, bytesIn: 0, bytesOut: expect.any(Number) as unknown, failures: 0, health: 'up' }],
    });
    expect(stats.members[0]!.bytesOut).toBeGreaterThan(0);
  });

  it('logs and counts invalid messages, and keeps the channel open', async () => {
    agent = await startAgent(controlPlane.url);
    await controlPlane.next('hello');
    controlPlane.broadcast('not json');
    controlPlane.broadcast({ type: 'mystery' });
    controlPlane.broadcast({ type: 'welcome' });
    await waitFor(async () => (await (await fetch(agent!.admin('/metrics'))).text()).includes('switchboard_agent_control_invalid_messages_total 3'), 'three invalid messages counted');
    controlPlane.publish(snapshotOf(1, configOn(backends[0]!)));
    await controlPlane.next('ack');
    expect(controlPlane.upgrades).toBe(1);
  });

  it('reconnects after the control plane goes away, keeping what it serves', async () => {
    controlPlane.snapshot = snapshotOf(1, configOn(backends[0]!));
    agent = await startAgent(controlPlane.url);
    await controlPlane.next('ack');
    const port = controlPlane.port;
    await controlPlane.close();
    expect(await backendAnswering()).toBe('b1');
    controlPlane = await new FakeControlPlane().start(port);
    const hello = await controlPlane.next('hello');
    expect(hello).toMatchObject({ revision: 1, hash: snapshotOf(1, configOn(backends[0]!)).hash });
  });

  it('terminates a connection whose pongs stopped, then reconnects', async () => {
    await controlPlane.close();
    controlPlane = await new FakeControlPlane('agent-token', { autoPong: false }).start();
    agent = await startAgent(controlPlane.url, { heartbeatIntervalMs: 50 });
    await controlPlane.next('hello');
    const opened = Date.now();
    await waitFor(() => controlPlane.messages.filter((m) => m.type === 'hello').length === 2, 'a second hello', 3_000);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(100);
    expect(controlPlane.upgrades).toBe(2);
  });

  it('keeps retrying, slowly, when the control plane refuses the token (HTTP 401)', async () => {
    const { logger, lines } = capturedLogger();
    agent = await startAgent(controlPlane.url, { token: 'wrong', refusedRetryMs: 100, logger });
    await waitFor(() => controlPlane.upgrades >= 3, 'three refused attempts');
    const refusals = lines.filter((line) => line.msg.startsWith('control plane refused this agent'));
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals[0]).toMatchObject({ level: 50, status: 401 });
    expect(refusals.every((line) => (line['retryInMs'] as number) >= 50)).toBe(true);
    const metrics = await (await fetch(agent.admin('/metrics'))).text();
    expect(metrics).toContain('switchboard_agent_control_connected 0');
  });

  it('treats close code 4401 as a refusal too', async () => {
    const { logger, lines } = capturedLogger();
    agent = await startAgent(controlPlane.url, { refusedRetryMs: 100, logger });
    await controlPlane.next('hello');
    for (const client of controlPlane.clients) client.close(CLOSE_CODES.unauthorized, 'token revoked');
    await waitFor(() => lines.find((line) => line.msg.startsWith('control plane refused this agent')), 'the refusal to be logged');
    await waitFor(() => controlPlane.messages.filter((m) => m.type === 'hello').length === 2, 'a retry');
  });
});
