import { hostname } from 'node:os';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, PROTOCOL_VERSION } from '@switchboard/protocol';
import type { Backend } from '../testing/backends';
import { FakeControlPlane } from '../testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../testing/fixtures';
import { useStack } from '../testing/stack';
import { waitFor } from '../testing/wait';
import { AGENT_VERSION } from '../version';

const stack = useStack();

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
  const res = await fetch(stack.agent.http('/'));
  return ((await res.json()) as { backend: string }).backend;
}

describe('control channel', () => {
  it('says hello with the protocol version, agent identity and what it serves', async () => {
    await stack.start();
    const hello = await stack.controlPlane.next('hello');
    expect(hello).toEqual({
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      agent: { name: 'test-agent', hostname: hostname(), version: AGENT_VERSION },
      revision: null,
      hash: null,
    });
  });

  it('applies a snapshot, acks it with its hash, and serves it', async () => {
    const snapshot = snapshotOf(5, configOn(stack.backends[0]!));
    stack.controlPlane.snapshot = snapshot;
    await stack.start();
    expect(await stack.controlPlane.next('ack')).toEqual({ type: 'ack', revision: 5, hash: snapshot.hash });
    expect(await backendAnswering()).toBe('b1');
    const config = (await (await fetch(stack.agent.admin('/config'))).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ revision: 5, hash: snapshot.hash, source: 'control-plane', config: snapshot.config });
  });

  it('nacks an invalid snapshot with the reason and keeps serving the previous one', async () => {
    stack.controlPlane.snapshot = snapshotOf(1, configOn(stack.backends[0]!));
    await stack.start();
    await stack.controlPlane.next('ack');
    const bad = snapshotOf(2, singleBalancer([member('m1', 'not a url', { weight: 1000 })]));
    stack.controlPlane.publish(bad);
    const nack = await stack.controlPlane.next('nack');
    expect(nack.revision).toBe(2);
    expect(nack.reason).toContain('config.balancers.0.members.0.url: must be an absolute http, https, ws or wss URL');
    expect(nack.reason).toContain('config.balancers.0.members.0.weight');
    expect(stack.agent.agent.state.current!.revision).toBe(1);
    expect(await backendAnswering()).toBe('b1');
  });

  it('nacks a snapshot whose hash does not match its config', async () => {
    await stack.start();
    await stack.controlPlane.next('hello');
    stack.controlPlane.broadcast({ type: 'snapshot', ...snapshotOf(3, configOn(stack.backends[0]!)), hash: '0'.repeat(64) });
    expect(await stack.controlPlane.next('nack')).toMatchObject({ revision: 3, reason: expect.stringMatching(/^hash: does not match/) as unknown });
    expect(stack.agent.agent.state.current).toBeNull();
  });

  it('acks a snapshot with the hash it already serves without re-applying it', async () => {
    const first = snapshotOf(1, configOn(stack.backends[0]!));
    stack.controlPlane.snapshot = first;
    await stack.start();
    await stack.controlPlane.next('ack');
    const runtime = stack.agent.agent.state.current!.runtime;
    stack.controlPlane.publish({ ...first, revision: 2 });
    expect(await stack.controlPlane.next('ack', (a) => a.revision === 2)).toEqual({ type: 'ack', revision: 2, hash: first.hash });
    expect(stack.agent.agent.state.current!.runtime).toBe(runtime);
  });

  it('applies the latest of several snapshots, acking each in order', async () => {
    await stack.start();
    await stack.controlPlane.next('hello');
    for (let revision = 1; revision <= 5; revision++) stack.controlPlane.publish(snapshotOf(revision, configOn(stack.backends[revision % 2]!)));
    await stack.controlPlane.next('ack', (a) => a.revision === 5);
    expect(stack.controlPlane.messages.filter((m) => m.type === 'ack').map((m) => m.revision)).toEqual([1, 2, 3, 4, 5]);
    expect(await backendAnswering()).toBe('b2');
  });

  it('sends stats about its members, cumulative', async () => {
    stack.controlPlane.snapshot = snapshotOf(1, configOn(stack.backends[0]!));
    await stack.start();
    await stack.controlPlane.next('ack');
    await backendAnswering();
    await backendAnswering();
    const stats = await stack.controlPlane.next('stats', (s) => s.members[0]?.elected === 2);
    expect(stats).toEqual({
      type: 'stats',
      revision: 1,
      members: [{ balancerId: 'b1', memberId: 'm1', openTunnels: 0, inflightRequests: 0, elected: 2, bytesIn: 0, bytesOut: expect.any(Number) as unknown, failures: 0, health: 'up', healthReason: null, closedByAgent: 0 }],
    });
    expect(stats.members[0]!.bytesOut).toBeGreaterThan(0);
  });

  it('logs and counts invalid messages, and keeps the channel open', async () => {
    await stack.start();
    await stack.controlPlane.next('hello');
    stack.controlPlane.broadcast('not json');
    stack.controlPlane.broadcast({ type: 'mystery' });
    stack.controlPlane.broadcast({ type: 'welcome' });
    await waitFor(async () => (await (await fetch(stack.agent.admin('/metrics'))).text()).includes('switchboard_agent_control_invalid_messages_total 3'), 'three invalid messages counted');
    stack.controlPlane.publish(snapshotOf(1, configOn(stack.backends[0]!)));
    await stack.controlPlane.next('ack');
    expect(stack.controlPlane.upgrades).toBe(1);
  });

  it('reconnects after the control plane goes away, keeping what it serves', async () => {
    stack.controlPlane.snapshot = snapshotOf(1, configOn(stack.backends[0]!));
    await stack.start();
    await stack.controlPlane.next('ack');
    const port = stack.controlPlane.port;
    await stack.controlPlane.close();
    expect(await backendAnswering()).toBe('b1');
    stack.controlPlane = await new FakeControlPlane().start(port);
    const hello = await stack.controlPlane.next('hello');
    expect(hello).toMatchObject({ revision: 1, hash: snapshotOf(1, configOn(stack.backends[0]!)).hash });
  });

  it('terminates a connection whose pongs stopped, then reconnects', async () => {
    await stack.controlPlane.close();
    stack.controlPlane = await new FakeControlPlane('agent-token', { autoPong: false }).start();
    await stack.start({ heartbeatIntervalMs: 50 });
    await stack.controlPlane.next('hello');
    const opened = Date.now();
    await waitFor(() => stack.controlPlane.messages.filter((m) => m.type === 'hello').length === 2, 'a second hello', 3_000);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(100);
    expect(stack.controlPlane.upgrades).toBe(2);
  });

  it('keeps retrying, slowly, when the control plane refuses the token (HTTP 401)', async () => {
    const { logger, lines } = capturedLogger();
    await stack.start({ token: 'wrong', refusedRetryMs: 100, logger });
    await waitFor(() => stack.controlPlane.upgrades >= 3, 'three refused attempts');
    const refusals = lines.filter((line) => line.msg.startsWith('control plane refused this agent'));
    expect(refusals.length).toBeGreaterThanOrEqual(2);
    expect(refusals[0]).toMatchObject({ level: 50, status: 401 });
    expect(refusals.every((line) => (line['retryInMs'] as number) >= 50)).toBe(true);
    const metrics = await (await fetch(stack.agent.admin('/metrics'))).text();
    expect(metrics).toContain('switchboard_agent_control_connected 0');
  });

  it('retries a 503 (control plane without its database) on the normal backoff, not the slow refused one, and keeps serving', async () => {
    const { logger, lines } = capturedLogger();
    stack.controlPlane.snapshot = snapshotOf(1, configOn(stack.backends[0]!));
    await stack.start({ refusedRetryMs: 60_000, backoff: { baseMs: 20, capMs: 200 }, logger });
    await stack.controlPlane.next('ack');
    stack.controlPlane.unavailable = true;
    for (const client of stack.controlPlane.clients) client.terminate();
    const upgradesBefore = stack.controlPlane.upgrades;
    await waitFor(() => stack.controlPlane.upgrades >= upgradesBefore + 4, 'four retries within the normal backoff', 10_000);
    expect(lines.filter((line) => line.msg.startsWith('control plane refused this agent'))).toEqual([]);
    expect(lines.find((line) => line.msg.startsWith('control plane unavailable'))).toMatchObject({ level: 40, status: 503 });
    expect(await backendAnswering()).toBe('b1');
    stack.controlPlane.unavailable = false;
    await waitFor(() => stack.controlPlane.messages.filter((m) => m.type === 'hello').length === 2, 'the agent back once the control plane answers');
  });

  it('treats close code 4401 as a refusal too', async () => {
    const { logger, lines } = capturedLogger();
    await stack.start({ refusedRetryMs: 100, logger });
    await stack.controlPlane.next('hello');
    for (const client of stack.controlPlane.clients) client.close(CLOSE_CODES.unauthorized, 'token revoked');
    await waitFor(() => lines.find((line) => line.msg.startsWith('control plane refused this agent')), 'the refusal to be logged');
    await waitFor(() => stack.controlPlane.messages.filter((m) => m.type === 'hello').length === 2, 'a retry');
  });

  it('treats close 4403 (token revoked) and 4409 (name taken) as refusals, naming the code, the reason and the revision served', async () => {
    const { logger, lines } = capturedLogger();
    await stack.start({ refusedRetryMs: 100, logger });
    await stack.controlPlane.next('hello');
    for (const client of stack.controlPlane.clients) client.close(CLOSE_CODES.credentialRevoked, 'agent token revoked');
    const revoked = await waitFor(() => lines.find((line) => line.msg.includes('close 4403')), 'the revocation to be logged');
    expect(revoked).toMatchObject({ level: 50, code: 4403, reason: 'agent token revoked', servingRevision: null });
    expect(revoked.msg).toMatch(/^control plane refused this agent: close 4403 "agent token revoked", agent token revoked .*; still serving revision none/);
    expect(revoked['retryInMs'] as number).toBeLessThanOrEqual(150);
    await waitFor(() => stack.controlPlane.messages.filter((m) => m.type === 'hello').length === 2, 'a retry');
    for (const client of stack.controlPlane.clients) client.close(CLOSE_CODES.nameConflict, 'agent name x is bound to another agent token');
    const conflict = await waitFor(() => lines.find((line) => line.msg.includes('close 4409')), 'the name conflict to be logged');
    expect(conflict.msg).toContain('agent name bound to another agent token');
  });
});
