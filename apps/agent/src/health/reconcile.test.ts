import { DEFAULT_HEALTH_CHECK } from '@switchboard/protocol';
import type { HealthCheck } from '@switchboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgent } from '../testing/agent-harness';
import { balancer, member, route, singleBalancer, snapshotOf } from '../testing/fixtures';
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

function check(overrides: Partial<HealthCheck> = {}): HealthCheck {
  return { ...DEFAULT_HEALTH_CHECK, type: 'http', path: '/health', intervalMs: 100, timeoutMs: 100, passes: 1, fails: 1, ...overrides };
}

async function healthBackends(count: number): Promise<HealthBackend[]> {
  backends = await startHealthBackends(count);
  return backends;
}

/** Waits until `clock` has received `count` more checks: time enough for a stopped checker to have shown itself. */
async function moreChecks(clock: HealthBackend, count: number): Promise<void> {
  const target = clock.checks.length + count;
  await waitFor(() => clock.checks.length >= target, `${count} more checks on ${clock.name}`);
}

describe('health checks follow the configuration', () => {
  it('start for a member added, and stop for a member removed', async () => {
    const [h1, h2] = await healthBackends(2);
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: check() }));
    await waitFor(() => h1!.checks.length >= 1, 'a check of m1');
    await stack.serve(singleBalancer([member('m1', h1!.url()), member('m2', h2!.url())], { healthCheck: check() }));
    await waitFor(() => h2!.checks.length >= 1, 'a check of m2');
    await stack.serve(singleBalancer([member('m2', h2!.url())], { healthCheck: check() }));
    const seen = h1!.checks.length;
    await moreChecks(h2!, 5);
    // At most the check that was already on its way when the snapshot was applied.
    expect(h1!.checks.length).toBeLessThanOrEqual(seen + 1);
  });

  it('stop when the balancer turns its check to none', async () => {
    const [h1, h2] = await healthBackends(2);
    const config = (first: HealthCheck) => ({
      balancers: [balancer('b1', [member('m1', h1!.url())], { healthCheck: first }), balancer('b2', [member('m2', h2!.url())], { healthCheck: check() })],
      routes: [route('r1', 'b1')],
    });
    await stack.serve(config(check()));
    await waitFor(() => h1!.checks.length >= 1 && h2!.checks.length >= 1, 'checks of both');
    await stack.serve(config({ ...check(), type: 'none' }));
    const seen = h1!.checks.length;
    await moreChecks(h2!, 5);
    expect(h1!.checks.length).toBeLessThanOrEqual(seen + 1);
  });

  it('restart with the new settings when they change: expected status, then type', async () => {
    const [h1] = await healthBackends(1);
    h1!.answer = 'accept'; // 200 to a plain GET, 101 to an upgrade
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: check() }));
    await waitFor(() => stack.counters('m1').health === 'up', 'm1 up');
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: check({ expectStatus: 204 }) }));
    await waitFor(() => stack.counters('m1').health === 'down', 'm1 down');
    expect(stack.counters('m1').healthReason).toBe('http check: status 200');
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: check({ type: 'websocket' }) }));
    await waitFor(() => stack.counters('m1').health === 'up', 'm1 up again');
    expect(h1!.checks.at(-1)?.upgrade).toBe(true);
  });

  it('keep their streak across a snapshot that does not change them', async () => {
    const [h1, h2] = await healthBackends(2);
    h1!.script = [500, 200, 200, 200];
    h1!.answer = 200;
    h1!.observe = () => stack.counters('m1').health;
    const slow = check({ intervalMs: 400, timeoutMs: 400, passes: 3 });
    await stack.serve(singleBalancer([member('m1', h1!.url())], { healthCheck: slow }));
    await waitFor(() => h1!.checks.length >= 2, 'two checks');
    // Another member, another weight, another route: m1's checks are the same.
    await stack.serve({
      balancers: [balancer('b1', [member('m1', h1!.url(), { weight: 5 }), member('m2', h2!.url())], { healthCheck: slow })],
      routes: [route('r1', 'b1'), route('r2', 'b1', { match: { type: 'prefix', path: '/x' } })],
    });
    await waitFor(() => h1!.observed.length >= 5, 'five checks', 20_000);
    // Had the checker restarted, the passes before the snapshot would not count and m1 would still be down at the fifth.
    expect(h1!.observed.slice(0, 5)).toEqual(['unknown', 'down', 'down', 'down', 'up']);
  });

  it('spread the first checks of many members over the interval instead of firing them in lockstep', async () => {
    const [h1] = await healthBackends(1);
    const members = Array.from({ length: 20 }, (_, i) => member(`m${i}`, h1!.url()));
    await stack.serve(singleBalancer(members, { healthCheck: check({ intervalMs: 2_000, timeoutMs: 1_000 }) }));
    await waitFor(() => h1!.checks.length >= 20, '20 checks', 10_000);
    const times = h1!.checks.slice(0, 20).map((seen) => seen.at);
    // Twenty uniform draws over 2 s all within 500 ms: odds about 1e-10.
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(500);
  });

  it('stop when the agent stops', async () => {
    const [h1] = await healthBackends(1);
    stack.controlPlane.snapshot = snapshotOf(1, singleBalancer([member('m1', h1!.url())], { healthCheck: check() }));
    const agent = await startAgent(stack.controlPlane.url);
    try {
      await waitFor(() => h1!.checks.length >= 2, 'checks');
    } finally {
      await agent.stop();
    }
    const seen = h1!.checks.length;
    // Nothing else would tick here: wait ten intervals and see that no check came.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(h1!.checks.length).toBeLessThanOrEqual(seen + 1);
  });
});
