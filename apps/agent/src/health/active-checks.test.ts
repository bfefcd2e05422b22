import { DEFAULT_HEALTH_CHECK } from '@switchboard/protocol';
import type { HealthCheck } from '@switchboard/protocol';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { silentServer } from '../testing/backends';
import { closeWebSocket, openWebSocket, roundTrip } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { startHealthBackends } from '../testing/health-backends';
import type { HealthBackend } from '../testing/health-backends';
import { useStack } from '../testing/stack';
import { waitFor } from '../testing/wait';

const stack = useStack(0);
let backends: HealthBackend[] = [];

afterEach(async () => {
  await Promise.all(backends.map((backend) => backend.stop()));
  backends = [];
});

/** An http check on /health, unless overridden. Scripted sequences use a generous timeout, so a loaded machine does not turn a good check into a timeout. */
function check(overrides: Partial<HealthCheck> = {}): HealthCheck {
  return { ...DEFAULT_HEALTH_CHECK, type: 'http', path: '/health', intervalMs: 400, timeoutMs: 400, passes: 2, fails: 2, ...overrides };
}

/** The agent's view of a member: `up`, `unknown`, or `down: <reason>`. */
function view(memberId: string): string {
  const counters = stack.counters(memberId);
  return counters.health === 'down' ? `down: ${counters.healthReason}` : counters.health;
}

async function healthBackends(count: number, checkPath?: string): Promise<HealthBackend[]> {
  backends = await startHealthBackends(count, checkPath);
  return backends;
}

/** Text of a response served through the agent (the member's name for HealthBackend traffic). */
async function served(): Promise<string> {
  const res = await fetch(stack.agent.http('/app'));
  expect(res.status).toBe(200);
  return res.text();
}

describe('http check', () => {
  it('turns a member down after `fails` failed checks in a row and up after `passes` good ones', async () => {
    const [h1] = await healthBackends(1);
    h1!.script = [200, 500, 200, 500, 500, 200, 200];
    h1!.answer = 200;
    h1!.observe = () => view('m1');
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: check() }));
    await waitFor(() => h1!.observed.length >= 8, '8 checks', 20_000);
    // What the agent thought as each check arrived, i.e. after the checks before it.
    expect(h1!.observed.slice(0, 8)).toEqual(['unknown', 'up', 'up', 'up', 'up', 'down: http check: status 500', 'down: http check: status 500', 'up']);
    expect(stack.counters('m1').healthReason).toBeNull();
  });

  it("sends GET <path> with the member's authority as Host and its own User-Agent", async () => {
    const [h1] = await healthBackends(1);
    await stack.serve(singleBalancer([member('m1', `${h1!.url()}/`)], { healthCheck: check({ intervalMs: 100, timeoutMs: 100 }) }));
    await waitFor(() => h1!.checks.length >= 1, 'a check');
    expect(h1!.checks[0]).toEqual({ url: '/health', host: `127.0.0.1:${h1!.port}`, userAgent: expect.stringMatching(/^switchboard-agent\/\S+ health check$/) as unknown, upgrade: false, at: expect.any(Number) as unknown });
  });

  it("sends the balancer's Host rule (set), and the check path after the member URL's path", async () => {
    const [ready] = await healthBackends(1, '/base/ready');
    ready!.answer = 204;
    ready!.observe = () => view('m1');
    await stack.serve(
      singleBalancer([member('m1', `${ready!.url()}/base`)], {
        hostHeader: { mode: 'set', value: 'app.example.com' },
        healthCheck: check({ path: '/ready', expectStatus: 204, intervalMs: 100, timeoutMs: 100 }),
      }),
    );
    await waitFor(() => ready!.checks.length >= 2, 'two checks');
    expect(ready!.checks[0]).toMatchObject({ url: '/base/ready', host: 'app.example.com' });
    expect(ready!.observed[1]).toBe('up');
  });

  it('fails a check that is not answered within timeoutMs', async () => {
    const [h1] = await healthBackends(1);
    h1!.answer = 'hang';
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: check({ intervalMs: 300, timeoutMs: 150, fails: 1 }) }));
    await waitFor(() => stack.counters('m1').health === 'down', 'm1 down');
    expect(stack.counters('m1').healthReason).toBe('check timed out after 150 ms');
  });
});

describe('websocket check', () => {
  it('needs a real 101 with the right Sec-WebSocket-Accept, and closes each good check with a masked close 1000', async () => {
    const [h1] = await healthBackends(1);
    h1!.script = ['accept', 404, 404, 'bad-accept', 'accept'];
    h1!.answer = 'accept';
    h1!.observe = () => view('m1');
    await stack.serve(singleBalancer([member('m1', h1!.url('ws'))], { healthCheck: check({ type: 'websocket', passes: 1 }) }));
    await waitFor(() => h1!.observed.length >= 6, '6 checks', 20_000);
    expect(h1!.observed.slice(0, 6)).toEqual([
      'unknown',
      'up',
      'up',
      'down: websocket check: no 101 (status 404)',
      'down: websocket check: wrong Sec-WebSocket-Accept',
      'up',
    ]);
    expect(h1!.checks.every((seen) => seen.upgrade)).toBe(true);
    // The member saw the accepted checks end with a valid close frame (ws answers an unmasked one with 1002).
    await waitFor(() => h1!.closeCodes.length >= 2, 'two check connections closed');
    expect(h1!.closeCodes.every((code) => code === 1000)).toBe(true);
  });
});

describe('tcp check', () => {
  it('turns a member down when its port is closed and up after `passes` connections once it is open again', async () => {
    const [h1] = await healthBackends(1);
    await stack.serve(singleBalancer([member('m1', h1!.url('ws'))], { healthCheck: check({ type: 'tcp', intervalMs: 200, timeoutMs: 200 }) }));
    await waitFor(() => stack.counters('m1').health === 'up', 'm1 up');
    await h1!.stop();
    await waitFor(() => stack.counters('m1').health === 'down', 'm1 down');
    expect(stack.counters('m1').healthReason).toBe('tcp check: connect ECONNREFUSED');
    h1!.observe = () => view('m1');
    await h1!.restart();
    await waitFor(() => h1!.observedAtConnect.length >= 3, 'three check connections');
    expect(h1!.observedAtConnect.slice(0, 3)).toEqual(['down: tcp check: connect ECONNREFUSED', 'down: tcp check: connect ECONNREFUSED', 'up']);
  });

  it('waits for the TLS handshake of a wss member: a port that accepts and never speaks TLS fails by timeout', async () => {
    const silent = await silentServer();
    try {
      await stack.serve(singleBalancer([member('m1', `wss://127.0.0.1:${silent.port}`)], { healthCheck: check({ type: 'tcp', intervalMs: 300, timeoutMs: 150, fails: 1 }) }));
      await waitFor(() => stack.counters('m1').health === 'down', 'm1 down');
      expect(stack.counters('m1').healthReason).toBe('check timed out after 150 ms');
    } finally {
      await silent.close();
    }
  });
});

describe('traffic and reporting', () => {
  it('traffic avoids a member while its check fails and comes back when it passes', async () => {
    const [h1, h2] = await healthBackends(2);
    await stack.serve(singleBalancer([member('m1', h1!.url()), member('m2', h2!.url())], { healthCheck: check({ intervalMs: 100, timeoutMs: 100, passes: 1, fails: 1 }) }));
    await waitFor(() => stack.counters('m1').health === 'up' && stack.counters('m2').health === 'up', 'both up');
    h1!.answer = 500;
    await waitFor(() => stack.counters('m1').health === 'down', 'm1 down');
    const before = h1!.traffic;
    for (let i = 0; i < 6; i++) expect(await served()).toBe('h2');
    const ws = await openWebSocket(stack.agent.ws('/chat'));
    expect((await roundTrip(ws, 'hi')).toString()).toBe('hi');
    await closeWebSocket(ws);
    expect(h1!.traffic).toBe(before);
    h1!.answer = 200;
    await waitFor(() => stack.counters('m1').health === 'up', 'm1 up again');
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add(await served());
    expect([...names].sort()).toEqual(['h1', 'h2']);
  });

  it('logs a member going down and up once each, with the reason', async () => {
    const [h1] = await healthBackends(1);
    h1!.answer = 500;
    const lines: { msg: string; memberId?: string; reason?: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as { msg: string }) });
    await stack.start({ logger });
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: check({ intervalMs: 100, timeoutMs: 100, passes: 1, fails: 1 }) }));
    await waitFor(() => h1!.checks.length >= 5, 'five failed checks');
    h1!.answer = 200;
    await waitFor(() => stack.counters('m1').health === 'up', 'm1 up');
    const changes = lines.filter((line) => line.memberId === 'm1' && (line.msg === 'member down' || line.msg === 'member up'));
    expect(changes.map(({ msg, reason }) => ({ msg, reason }))).toEqual([
      { msg: 'member down', reason: 'http check: status 500' },
      { msg: 'member up', reason: 'http check passed' },
    ]);
  });

  it('reports health and its reason in the stats sent to the control plane and in /metrics', async () => {
    const [h1] = await healthBackends(1);
    h1!.answer = 503;
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: check({ intervalMs: 100, timeoutMs: 100, passes: 1, fails: 1 }) }));
    const down = await stack.controlPlane.next('stats', (stats) => stats.members[0]?.health === 'down');
    expect(down.members[0]).toMatchObject({ memberId: 'm1', health: 'down', healthReason: 'http check: status 503' });
    const metrics = await (await fetch(stack.agent.admin('/metrics'))).text();
    expect(metrics).toContain('switchboard_agent_member_down_reason{balancer="b1",member="m1",reason="http check: status 503"} 1');
    const from = stack.controlPlane.messages.length;
    h1!.answer = 200;
    const up = await stack.controlPlane.next('stats', (stats) => stats.members[0]?.health === 'up', from);
    expect(up.members[0]).toMatchObject({ memberId: 'm1', health: 'up', healthReason: null });
    expect(await (await fetch(stack.agent.admin('/metrics'))).text()).not.toContain('switchboard_agent_member_down_reason{');
  });
});
