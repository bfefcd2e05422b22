import type { Browser } from 'playwright-core';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { openTunnel, signedInPage, waitForTunnelSum } from './support/dashboard';
import { startEchoBackend, startStack, type Stack } from './support/stack';

// The dashboard in a real Chromium against the real control plane, agent and ws backends:
// log in, watch the live tunnel counts follow real clients, drain a member.

const CLIENTS = 4;

interface Backend {
  url: string;
  close(): Promise<void>;
}

describe('dashboard (browser)', () => {
  let stack: Stack | undefined;
  let backends: Backend[] = [];
  let browser: Browser | undefined;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    stack = await startStack({ dashboard: true });
    backends = await Promise.all([startEchoBackend('alpha'), startEchoBackend('beta')]);
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await browser?.close().catch(() => undefined);
    await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
    await stack?.stop();
  }, 60_000);

  it('shows live open tunnels without reloading and drains a member', async () => {
    const s = stack!;
    const balancer = await s.api<{ id: string }>('POST', '/api/v1/balancers', { name: 'e2e-dashboard', lbMethod: 'bybusyness' });
    expect(balancer.status).toBe(201);
    const balancerId = balancer.body.id;
    for (const [i, backend] of backends.entries()) {
      const member = await s.api('POST', `/api/v1/balancers/${balancerId}/members`, { url: backend.url, name: i === 0 ? 'alpha' : 'beta' });
      expect(member.status).toBe(201);
    }
    const route = await s.api('POST', '/api/v1/routes', { balancerId, match: { type: 'prefix', path: '/e2e' } });
    expect(route.status).toBe(201);

    // Log in through the form, then follow the link from the overview.
    const page = await signedInPage(browser!, s);
    await page.getByRole('link', { name: 'e2e-dashboard' }).click();
    await page.waitForURL(`${s.dashboardUrl}/balancers/${balancerId}`);

    const rows = page.locator('[data-testid="member-row"]');
    await rows.nth(1).waitFor();
    expect(await rows.count()).toBe(2);
    // Survives only if the page is never reloaded.
    await page.evaluate(() => Object.assign(window, { __e2eNoReload: true }));

    // Real WebSocket clients through the agent; each proves its tunnel with an echo.
    const wsUrl = `${s.agentUrl.replace(/^http/, 'ws')}/e2e/ws`;
    for (let i = 0; i < CLIENTS; i++) sockets.push((await openTunnel(wsUrl, `hello ${i}`)).ws);

    await waitForTunnelSum(page, CLIENTS, 8_000);

    // Drain the first row: a plain drain (the form's fields left empty).
    const row = rows.first();
    const memberId = await row.getAttribute('data-member-id');
    expect(memberId).toBeTruthy();
    await row.locator('[data-testid="drain"]').click();
    const [drainResponse] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/members/${memberId}/drain`)),
      row.locator('[data-testid="drain-submit"]').click(),
    ]);
    expect(drainResponse.ok(), `drain answered ${drainResponse.status()}`).toBe(true);

    const member = await s.api<{ state: string }>('GET', `/api/v1/balancers/${balancerId}/members/${memberId}`);
    expect(member.status).toBe(200);
    expect(member.body.state).toBe('draining');

    const stateCell = page.locator(`[data-testid="member-row"][data-member-id="${memberId}"] [data-testid="state"]`);
    await stateCell.filter({ hasText: 'draining' }).waitFor({ timeout: 5_000 });
    await page.locator('[data-testid="revision"]').waitFor();
    // Still draining once the feed has caught up (a stale snapshot must not flip it back).
    await page.waitForTimeout(2_500);
    expect((await stateCell.textContent())?.trim()).toBe('draining');
    expect(await page.evaluate(() => (window as unknown as { __e2eNoReload?: boolean }).__e2eNoReload)).toBe(true);
  });
});
