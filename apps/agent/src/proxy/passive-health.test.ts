import { DEFAULT_HEALTH_CHECK, DEFAULT_TIMEOUTS } from '@switchboard/protocol';
import type { PassiveHealth, SnapshotBalancer } from '@switchboard/protocol';
import { afterEach, describe, expect, it } from 'vitest';
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

/** Two members, `flaky` (h1) and `live` (h2), round robin, no pooled connections (so a closed port is a connect failure, not a dead pooled socket). */
async function serveTwo(passiveHealth: PassiveHealth, overrides: Partial<SnapshotBalancer> = {}): Promise<[HealthBackend, HealthBackend]> {
  backends = await startHealthBackends(2);
  const [flaky, live] = backends as [HealthBackend, HealthBackend];
  await stack.serve(singleBalancer([member('flaky', flaky.url()), member('live', live.url())], { passiveHealth, timeouts: { ...DEFAULT_TIMEOUTS, keepAliveMs: 0 }, ...overrides }));
  return [flaky, live];
}

/** One request through the agent: the name of the member that served it (failover makes every one succeed). */
async function served(): Promise<string> {
  const res = await fetch(stack.agent.http('/app'));
  expect(res.status).toBe(200);
  return res.text();
}

/** Sends requests (each served by h2 after failing over) until flaky has failed `count` connects in all. */
async function untilFailures(count: number): Promise<void> {
  await waitFor(async () => {
    expect(await served()).toBe('h2');
    return stack.counters('flaky').failures >= count;
  }, `${count} failures of flaky`);
  expect(stack.counters('flaky').failures).toBe(count);
}

describe('passive health', () => {
  it('marks a member down after passiveHealth.fails connect failures in a row, not before', async () => {
    const [flaky] = await serveTwo({ fails: 3, retryMs: 600_000 });
    await flaky.stop();
    const seen: string[] = [];
    for (let failures = 1; failures <= 3; failures++) {
      await untilFailures(failures);
      seen.push(stack.counters('flaky').health);
    }
    expect(seen).toEqual(['unknown', 'unknown', 'down']);
    expect(stack.counters('flaky')).toMatchObject({ failures: 3, healthReason: '3 connect failures: ECONNREFUSED' });
    const elected = stack.counters('flaky').elected;
    for (let i = 0; i < 5; i++) expect(await served()).toBe('h2');
    expect(stack.counters('flaky').elected).toBe(elected);
  });

  it('a successful connect resets the count', async () => {
    const [flaky] = await serveTwo({ fails: 2, retryMs: 600_000 });
    await flaky.stop();
    await untilFailures(1);
    expect(stack.counters('flaky').health).toBe('unknown');
    await flaky.restart();
    await waitFor(async () => (await served()) === 'h1', 'a request served by h1');
    expect(stack.counters('flaky').health).toBe('up');
    await flaky.stop();
    await untilFailures(2);
    expect(stack.counters('flaky').health).toBe('up');
    await untilFailures(3);
    expect(stack.counters('flaky')).toMatchObject({ health: 'down', healthReason: '2 connect failures: ECONNREFUSED' });
  });

  it('without an active check, a down member gets real traffic again after retryMs, and is up once it connects', async () => {
    const retryMs = 1_500;
    const [flaky] = await serveTwo({ fails: 1, retryMs });
    await flaky.stop();
    const before = performance.now();
    await untilFailures(1);
    expect(stack.counters('flaky')).toMatchObject({ health: 'down', healthReason: 'connect ECONNREFUSED', elected: 1 });
    for (let i = 0; i < 3; i++) await served();
    expect(stack.counters('flaky').elected).toBe(1);
    await waitFor(async () => (await served(), stack.counters('flaky').elected === 2), 'a retry of flaky');
    // The agent's clock is this process's: the retry cannot have come before retryMs.
    expect(performance.now() - before).toBeGreaterThanOrEqual(retryMs);
    expect(stack.counters('flaky')).toMatchObject({ health: 'down', failures: 2 });
    await flaky.restart();
    await waitFor(async () => (await served()) === 'h1', 'traffic back on h1', 10_000);
    expect(stack.counters('flaky')).toMatchObject({ health: 'up', healthReason: null });
  });

  it('with an active check, retryMs does not apply: a member down by its check gets no traffic', async () => {
    const [flaky] = await serveTwo({ fails: 1, retryMs: 0 }, { healthCheck: { ...DEFAULT_HEALTH_CHECK, type: 'http', path: '/health', intervalMs: 100, timeoutMs: 100, passes: 1, fails: 1 } });
    flaky.answer = 500;
    await waitFor(() => stack.counters('flaky').health === 'down', 'flaky down');
    const traffic = flaky.traffic;
    for (let i = 0; i < 6; i++) expect(await served()).toBe('h2');
    expect(flaky.traffic).toBe(traffic);
  });

  it('with an active check, only the check brings a member back up, not a successful connect', async () => {
    backends = await startHealthBackends(1);
    const [only] = backends as [HealthBackend];
    only.answer = 500;
    await stack.serve(singleBalancer([member('only', only.url())], { healthCheck: { ...DEFAULT_HEALTH_CHECK, type: 'http', path: '/health', intervalMs: 200, timeoutMs: 200, passes: 2, fails: 1 } }));
    await waitFor(() => stack.counters('only').health === 'down', 'only down');
    // The last member standing still gets traffic (every member is down), and it connects.
    expect(await served()).toBe('h1');
    expect(stack.counters('only')).toMatchObject({ health: 'down', healthReason: 'http check: status 500' });
    only.answer = 200;
    await waitFor(() => stack.counters('only').health === 'up', 'only up by its check');
  });
});
