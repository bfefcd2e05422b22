import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgent, startAgentProcess, type AgentProcess, type LogLine } from '../testing/agent-process';
import { closedPort, startBackends, type Backend } from '../testing/backends';
import { openWebSocket, rawExchange, roundTrip } from '../testing/clients';
import { FakeControlPlane } from '../testing/control-plane';
import type { SnapshotConfig } from '@switchboard/protocol';
import { balancer, member, route, singleBalancer, snapshotOf } from '../testing/fixtures';
import { waitFor } from '../testing/wait';

/** PIDs of the node processes whose parent is `pid` (the cluster's workers). */
function childrenOf(pid: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString();
  return out.split('\n').map((line) => Number(line.trim())).filter((n) => n > 0);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SWITCHBOARD_WORKERS=2: two proxy processes sharing the listener, behaving as one agent. */
describe('agent workers', () => {
  let mainJs: string;
  let cleanup: () => Promise<void> = () => Promise.resolve();
  let controlPlane: FakeControlPlane;
  let backends: Backend[];
  let agent: AgentProcess;
  let port: number;
  let config: SnapshotConfig;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    ({ mainJs, cleanup } = await buildAgent());
    controlPlane = await new FakeControlPlane().start();
    backends = await startBackends(2);
    config = singleBalancer([member('m1', backends[0]!.url()), member('m2', backends[1]!.url())], { lbMethod: 'bybusyness', limits: { maxTunnelsPerMember: 3, queueTimeoutMs: 0 } });
    const checks = { type: 'tcp' as const, path: '/', expectStatus: 200, intervalMs: 100, timeoutMs: 100, passes: 1, fails: 1 };
    const dead = member('dead', `ws://127.0.0.1:${await closedPort()}`);
    // Passive health would never mark `dead` down here: only the primary's check can keep traffic off it.
    config.balancers.push(balancer('checked', [dead, member('live', backends[0]!.url())], { healthCheck: checks, passiveHealth: { fails: 100, retryMs: 0 } }));
    config.routes.push(route('r2', 'checked', { match: { type: 'prefix', path: '/checked' }, priority: 1 }));
    controlPlane.snapshot = snapshotOf(4, config);
    agent = await startAgentProcess(mainJs, controlPlane.url, {
      SWITCHBOARD_STATS_INTERVAL_MS: '200',
      SWITCHBOARD_WORKERS: '2',
      // Round robin, so consecutive connections land on different workers (the default lets the kernel choose).
      NODE_CLUSTER_SCHED_POLICY: 'rr',
    }, 20_000);
    expect(agent.listening).toMatchObject({ workers: 2 });
    port = agent.port;
    await controlPlane.next('ack', (ack) => ack.revision === 4);
  }, 60_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL');
    await controlPlane.close();
    await Promise.all(backends.map((b) => b.close()));
    await cleanup();
  });

  it('runs two worker processes behind one port, one control channel and one admin port', () => {
    expect(childrenOf(agent.child.pid!)).toHaveLength(2);
    expect(controlPlane.messages.filter((m) => m.type === 'hello')).toHaveLength(1);
  });

  it('keeps maxTunnelsPerMember for the whole agent and spreads bybusyness over both members across workers', async () => {
    // Connections alternate between the workers (the cluster's round robin); the pause lets the
    // workers hear of each other's tunnels, as they do within a few tens of milliseconds.
    for (let i = 0; i < 6; i++) {
      const ws = await waitFor(() => openWebSocket(`ws://127.0.0.1:${port}/`).catch(() => undefined), `tunnel ${i}`);
      sockets.push(ws);
      expect((await roundTrip(ws, `m${i}`)).toString()).toBe(`m${i}`);
      await pause(150);
    }
    expect(backends.map((b) => b.accepted)).toEqual([3, 3]);
    const refused = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(refused).toMatch(/^HTTP\/1\.1 503/);
    const second = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
    expect(second).toMatch(/^HTTP\/1\.1 503/);
  });

  it('reports the sum over workers in stats', async () => {
    const from = controlPlane.messages.length;
    const stats = await controlPlane.next('stats', (m) => m.members.reduce((n, f) => n + f.openTunnels, 0) === 6, from);
    expect(stats.members.filter((f) => f.balancerId === 'b1').map((f) => [f.memberId, f.openTunnels, f.health])).toEqual([
      ['m1', 3, 'up'],
      ['m2', 3, 'up'],
    ]);
    expect(stats.members.reduce((n, f) => n + f.elected, 0)).toBe(6);
  });

  it('runs active checks once in the primary and every worker takes the verdict, reported with its reason', async () => {
    const from = controlPlane.messages.length;
    const stats = await controlPlane.next('stats', (m) => m.members.some((f) => f.memberId === 'dead' && f.health === 'down'), from);
    expect(stats.members.find((f) => f.memberId === 'dead')).toMatchObject({ health: 'down', healthReason: 'tcp check: connect ECONNREFUSED' });
    const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(`http://127.0.0.1:${port}/checked/x`).then((res) => res.status)));
    expect(answers).toEqual(Array(8).fill(200));
    const after = await controlPlane.next('stats', (m) => (m.members.find((f) => f.memberId === 'live')?.elected ?? 0) >= 8, controlPlane.messages.length);
    expect(after.members.find((f) => f.memberId === 'dead')).toMatchObject({ elected: 0, failures: 0 });
  });

  it('drains a member on every worker: its tunnels get close 1001, counted once in stats', async () => {
    const codes = sockets.map((ws) => new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code))));
    const [b1, ...rest] = config.balancers;
    const drained = { ...b1!, members: b1!.members.map((m) => (m.id === 'm1' ? { ...m, state: 'draining' as const, drain: { startedAt: Date.now(), windowMs: 0, deadlineMs: 0 } } : m)) };
    const from = controlPlane.messages.length;
    controlPlane.publish(snapshotOf(5, { ...config, balancers: [drained, ...rest] }));
    const stats = await controlPlane.next('stats', (m) => m.members.some((f) => f.memberId === 'm1' && f.closedByAgent === 3 && f.openTunnels === 0), from);
    expect(stats.members.find((f) => f.memberId === 'm2')).toMatchObject({ openTunnels: 3, closedByAgent: 0 });
    const closed = await Promise.race([Promise.all(codes.filter((_, i) => sockets[i]!.readyState !== sockets[i]!.OPEN)), pause(2_000).then(() => null)]);
    expect(closed).toEqual([1001, 1001, 1001]);
  });

  it('forks a new worker when one dies; the other keeps serving', async () => {
    const [victim] = childrenOf(agent.child.pid!);
    process.kill(victim!, 'SIGKILL');
    await waitFor(() => agent.lines.some((line: LogLine) => line.msg === 'worker exited; forking another'), 'the respawn log line');
    await waitFor(() => childrenOf(agent.child.pid!).length === 2 && !childrenOf(agent.child.pid!).includes(victim!), 'a new worker', 10_000);
    for (const ws of sockets.filter((open) => open.readyState === open.OPEN)) expect((await roundTrip(ws, 'still')).toString()).toBe('still');
    const fresh = await openWebSocket(`ws://127.0.0.1:${port}/`);
    sockets.push(fresh);
    expect((await roundTrip(fresh, 'new')).toString()).toBe('new');
  });

  it('stops every worker on SIGTERM', async () => {
    const workers = childrenOf(agent.child.pid!);
    agent.child.kill('SIGTERM');
    const [code] = (await once(agent.child, 'exit')) as [number];
    expect(code).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  });
});
