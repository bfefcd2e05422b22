import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { openTunnel, signedInPage, waitForTunnelSum, type Tunnel } from './support/dashboard';
import { eventually } from './support/processes';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

// The dashboard's drain form, rebalance button, per-agent health and settings summary, in a real
// Chromium against the real control plane, agent and ws backends. Agents do not close tunnels
// for a paced drain yet: here the clients end their tunnels and the page follows the count.

const CLOCK = '\\d\\d:\\d\\d:\\d\\d';

interface MemberBody {
  state: string;
  drain: { windowMs: number | null; deadlineMs: number | null; remainingTunnels: number; drainedAt: string | null } | null;
}

interface BalancerBody {
  rebalance: { requestedAt: number; tolerance: number; closesPerSecond: number } | null;
}

describe('dashboard: drain, rebalance, health and settings (browser)', () => {
  let stack: Stack;
  let backends: EchoBackend[] = [];
  let browser: Browser | undefined;
  let agentName = '';
  const tunnels: Tunnel[] = [];

  beforeAll(async () => {
    stack = await startStack({ dashboard: true });
    backends = await Promise.all([startEchoBackend('alpha'), startEchoBackend('beta')]);
    browser = await launchBrowser();
    agentName = await eventually(async () => (await stack.api<{ name: string }[]>('GET', '/api/v1/agents')).body[0]?.name, 30_000, 'the agent to register');
  }, 180_000);

  afterAll(async () => {
    for (const t of tunnels) t.ws.terminate();
    await browser?.close().catch(() => undefined);
    await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
    await stack?.stop();
  }, 60_000);

  /** A signed-in page on the balancer's page, with its member rows loaded. */
  async function balancerPage(balancerId: string, members: number): Promise<Page> {
    const page = await signedInPage(browser!, stack);
    await page.goto(`${stack.dashboardUrl}/balancers/${balancerId}`);
    if (members > 0) await page.locator('[data-testid="member-row"]').nth(members - 1).waitFor();
    else await page.locator('[data-testid="balancer-settings"]').waitFor();
    return page;
  }

  /** Submits the row's drain form and resolves with the status the control plane answered. */
  async function submitDrain(page: Page, row: Locator, memberId: string, deadlineSeconds: string, windowSeconds: string): Promise<number> {
    await row.locator('[data-testid="drain-deadline"]').fill(deadlineSeconds);
    await row.locator('[data-testid="drain-window"]').fill(windowSeconds);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/members/${memberId}/drain`)),
      row.locator('[data-testid="drain-submit"]').click(),
    ]);
    return response.status();
  }

  it('drains with a deadline through the form, refuses a window above it next to the field, and follows the tunnels left down to drained', async () => {
    const { balancerId, memberIds, revision } = await createBalancer(
      stack,
      'e2e-drain',
      backends.map((b) => ({ url: b.url, name: b.name })),
      'byrequests',
    );
    await agentAtRevision(stack.agentAdminUrl, revision);
    for (let i = 0; i < 4; i++) tunnels.push(await openTunnel(wsUrl(stack.agentUrl, '/e2e-drain/ws'), `hello ${i}`));
    const onAlpha = tunnels.filter((t) => t.backend === 'alpha');
    expect(onAlpha.length).toBeGreaterThan(0);

    const page = await balancerPage(balancerId, 2);
    await waitForTunnelSum(page, 4, 15_000);
    // Every live member: this agent sees it up (or not yet known).
    for (const health of await page.locator('[data-testid="agent-health"]').allTextContents()) {
      expect(health).toMatch(new RegExp(`^${agentName}: (up|unknown)$`));
    }
    expect(await page.locator('[data-testid="setting-tls"]').textContent()).toBe('certificates verified');
    expect(await page.locator('[data-testid="tls-insecure"]').count()).toBe(0);

    const alpha = memberIds.alpha;
    const path = `/api/v1/balancers/${balancerId}/members/${alpha}`;
    const row = page.locator(`[data-testid="member-row"][data-member-id="${alpha}"]`);
    await row.locator('[data-testid="drain"]').click();

    // A window longer than the deadline: the API's message by the window field, nothing changed.
    expect(await submitDrain(page, row, alpha, '5', '10')).toBe(400);
    const windowError = row.locator('[data-testid="drain-window-error"]');
    await windowError.waitFor();
    expect(await windowError.textContent()).toContain('must not exceed deadlineMs');
    expect(await row.locator('[data-testid="drain-deadline-error"]').count()).toBe(0);
    expect((await stack.api<MemberBody>('GET', path)).body).toMatchObject({ state: 'active', drain: null });
    expect(await row.getAttribute('data-state')).toBe('active');

    // A 10 min deadline after a 5 min window: no agent closes anything while this test runs.
    expect(await submitDrain(page, row, alpha, '600', '300')).toBe(200);
    await row.locator('[data-testid="drain-form"]').waitFor({ state: 'detached' });
    expect((await stack.api<MemberBody>('GET', path)).body).toMatchObject({ state: 'draining', drain: { deadlineMs: 600_000, windowMs: 300_000, drainedAt: null } });
    const progress = row.locator('[data-testid="drain-progress"]');
    const left = (n: number) => new RegExp(`^${n} tunnels? left, closing by ${CLOCK}$`);
    await expect.poll(() => progress.textContent(), { timeout: 10_000 }).toMatch(left(onAlpha.length));

    // The clients on alpha leave: the count falls to zero, then the member reads as drained.
    for (const t of onAlpha) t.ws.close();
    await expect.poll(() => progress.textContent(), { timeout: 20_000 }).toMatch(new RegExp(`^drained at ${CLOCK}$`));
    expect((await stack.api<MemberBody>('GET', path)).body.drain).toMatchObject({ remainingTunnels: 0, drainedAt: expect.any(String) });
    await waitForTunnelSum(page, tunnels.length - onAlpha.length, 10_000);
  });

  it('asks for a rebalance with a tolerance and a pace, and shows a bad tolerance next to its field', async () => {
    const { balancerId } = await createBalancer(stack, 'e2e-rebalance', [{ url: backends[0].url, name: 'alpha' }]);
    const page = await balancerPage(balancerId, 1);
    const last = page.locator('[data-testid="last-rebalance"]');
    expect(await last.textContent()).toBe('never');

    const before = Date.now();
    await page.locator('[data-testid="rebalance-tolerance"]').fill('25');
    await page.locator('[data-testid="rebalance-rate"]').fill('5');
    await page.locator('[data-testid="rebalance"]').click();
    await expect.poll(() => last.textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^${CLOCK} \\(tolerance 25 %, 5 closes/s per agent\\)$`));
    const asked = (await stack.api<BalancerBody>('GET', `/api/v1/balancers/${balancerId}`)).body.rebalance;
    expect(asked).toMatchObject({ tolerance: 0.25, closesPerSecond: 5 });
    expect(asked!.requestedAt).toBeGreaterThanOrEqual(before - 5_000);
    await page.locator('[data-testid="rebalance-revision"]').waitFor();

    // 2000 % is above the API's 10 (a fraction): refused, named by the field, nothing asked.
    await page.locator('[data-testid="rebalance-tolerance"]').fill('2000');
    await page.locator('[data-testid="rebalance"]').click();
    const error = page.locator('[data-testid="rebalance-tolerance-error"]');
    await error.waitFor();
    expect(await error.textContent()).toBeTruthy();
    expect((await stack.api<BalancerBody>('GET', `/api/v1/balancers/${balancerId}`)).body.rebalance).toEqual(asked);
  });

  it("shows each agent's health of a member, and down (with the reason when the agent gives one) once its backend is gone", async () => {
    const gamma = await startEchoBackend('gamma');
    backends.push(gamma);
    const { balancerId, memberIds, revision } = await createBalancer(
      stack,
      'e2e-health',
      [
        { url: backends[0].url, name: 'alpha' },
        { url: gamma.url, name: 'gamma' },
      ],
      'byrequests',
    );
    await agentAtRevision(stack.agentAdminUrl, revision);
    const page = await balancerPage(balancerId, 2);
    await gamma.close();

    // Connects through the agent until it has tried gamma and seen it fail (failover takes the client to alpha).
    const url = wsUrl(stack.agentUrl, '/e2e-health/ws');
    const gammaHealth = page.locator(`[data-testid="member-row"][data-member-id="${memberIds.gamma}"] [data-testid="agent-health"]`);
    await eventually(
      async () => {
        tunnels.push(await openTunnel(url, 'probe', 5_000));
        await gammaHealth.and(page.locator('[data-health="down"]')).waitFor({ timeout: 3_000 });
        return true;
      },
      30_000,
      'the dashboard to show gamma down on this agent',
    );
    expect(await gammaHealth.textContent()).toMatch(new RegExp(`^${agentName}: down`));
    const stats = await stack.api<{ members: { memberId: string; agents: { healthReason: string | null }[] }[] }>('GET', '/api/v1/stats');
    const reason = stats.body.members.find((m) => m.memberId === memberIds.gamma)?.agents[0]?.healthReason;
    if (reason) {
      await expect.poll(() => gammaHealth.textContent(), { timeout: 10_000 }).toBe(`${agentName}: down — ${reason}`);
      expect(await gammaHealth.getAttribute('title')).toBe(`${agentName}: down — ${reason}`);
    }
    const alphaHealth = page.locator(`[data-testid="member-row"][data-member-id="${memberIds.alpha}"] [data-testid="agent-health"]`);
    expect(await alphaHealth.textContent()).toBe(`${agentName}: up`);
  });

  it('summarises the balancer settings and says loudly when certificate verification is off', async () => {
    const created = await stack.api<{ id: string }>('POST', '/api/v1/balancers', {
      name: 'e2e-settings',
      lbMethod: 'bybusyness',
      healthCheck: { type: 'http', path: '/healthz', intervalMs: 2000, timeoutMs: 1000 },
      passiveHealth: { fails: 2, retryMs: 5000 },
      tls: { insecureSkipVerify: true },
    });
    expect(created.status).toBe(201);
    const page = await balancerPage(created.body.id, 0);
    expect(await page.locator('[data-testid="setting-lbmethod"]').textContent()).toBe('bybusyness');
    expect(await page.locator('[data-testid="setting-health-check"]').textContent()).toBe('http GET /healthz → 200 · every 2 s, timeout 1 s · up after 2, down after 3');
    expect(await page.locator('[data-testid="setting-passive"]').textContent()).toBe('down after 2 failed connects in a row, retried after 5 s');
    const insecure = page.locator('[data-testid="tls-insecure"]');
    expect(await insecure.isVisible()).toBe(true);
    expect(await insecure.textContent()).toContain('insecure: certificate verification off');
  });
});
