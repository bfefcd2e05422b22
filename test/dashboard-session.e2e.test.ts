import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { openTunnel, submitLogin, waitForTunnelSum, watchCspViolations } from './support/dashboard';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

// The dashboard's session in a real Chromium against the real control plane: the token lives
// in an HttpOnly, SameSite=Strict cookie that scripts never see, the pages run under a nonce
// CSP (live feed included) without a single violation, the post-login redirect stays on this
// origin, logout and a revoked token both end the session.

/** URL checks need only the navigation committed; locators wait for what they use. */
const COMMIT = { waitUntil: 'commit' } as const;

interface SessionCookie {
  name: string;
  value: string;
  httpOnly: boolean;
  sameSite: string;
  secure: boolean;
  path: string;
}

describe('dashboard session, CSP and post-login redirect (browser)', () => {
  let stack: Stack;
  let backends: EchoBackend[] = [];
  let browser: Browser | undefined;
  let balancerId = '';
  const sockets: WebSocket[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startStack({ dashboard: true });
    backends = await Promise.all([startEchoBackend('alpha'), startEchoBackend('beta')]);
    browser = await launchBrowser();
    const created = await createBalancer(
      stack,
      'e2e-session',
      backends.map((b) => ({ url: b.url, name: b.name })),
      'bybusyness',
    );
    balancerId = created.balancerId;
    await agentAtRevision(stack.agentAdminUrl, created.revision);
  }, 180_000);

  afterEach(async () => {
    // Closed pages end their live feeds, which would otherwise pile up on the dashboard.
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => undefined)));
  });

  afterAll(async () => {
    for (const ws of sockets) ws.terminate();
    await browser?.close().catch(() => undefined);
    await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
    await stack?.stop();
  }, 60_000);

  /** A fresh browser context (its own cookie jar) with one page. */
  async function freshPage(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext();
    contexts.push(context);
    const page = await context.newPage();
    // Generous: the build machine's CPU is shared.
    page.setDefaultTimeout(30_000);
    page.setDefaultNavigationTimeout(60_000);
    return { context, page };
  }

  async function sessionCookie(context: BrowserContext): Promise<SessionCookie | undefined> {
    return (await context.cookies(stack.dashboardUrl)).find((c) => c.name === 'switchboard_session');
  }

  it('keeps the token in an HttpOnly SameSite=Strict cookie, out of scripts and storage, and runs the live page under the CSP without a violation', async () => {
    const { context, page } = await freshPage();
    const violations = await watchCspViolations(context);
    const balancerPath = `/balancers/${balancerId}`;

    // Not signed in: the balancer page sends us to log in, and back after.
    await page.goto(`${stack.dashboardUrl}${balancerPath}`);
    await page.waitForURL(`${stack.dashboardUrl}/login?next=${encodeURIComponent(balancerPath)}`, COMMIT);
    await submitLogin(page, stack.adminToken);
    await page.waitForURL(`${stack.dashboardUrl}${balancerPath}`, COMMIT);

    expect(await sessionCookie(context)).toMatchObject({ value: stack.adminToken, httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      storage: [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => `${k}=${s.getItem(k) ?? ''}`)),
    }));
    expect(visible.cookie).not.toContain(stack.adminToken);
    expect(visible.cookie).not.toContain('switchboard_session');
    expect(visible.storage.filter((entry) => entry.includes(stack.adminToken))).toEqual([]);

    // The live feed updates the page as tunnels open, under the CSP.
    await page.locator('[data-testid="member-row"]').nth(1).waitFor();
    for (let i = 0; i < 3; i++) sockets.push((await openTunnel(wsUrl(stack.agentUrl, '/e2e-session/ws'), `hello ${i}`)).ws);
    await waitForTunnelSum(page, 3, 15_000);
    // A form round trip (drain form opened and closed) and the other pages, also under the CSP.
    await page.locator('[data-testid="member-row"]').first().locator('[data-testid="drain"]').click();
    await page.locator('[data-testid="drain-submit"]').waitFor();
    await page.goto(`${stack.dashboardUrl}/`);
    await page.getByRole('link', { name: 'e2e-session' }).waitFor();
    await page.goto(`${stack.dashboardUrl}/no-such-page`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(violations).toEqual([]);

    // The watch does see a violation when there is one: an inline style attribute.
    await page.evaluate(() => document.body.setAttribute('style', 'outline: 1px solid red'));
    await expect.poll(() => violations.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(violations.join('\n')).toMatch(/style-src/);
  });

  it('after login ignores a next that leaves the origin (//evil.com and kin) and lands on the overview', async () => {
    // The whole table of refused forms is in apps/dashboard/src/lib/next-path.test.ts.
    const { context, page } = await freshPage();
    const offsite: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(stack.dashboardUrl)) offsite.push(r.url());
    });
    for (const next of ['//evil.com', '/\\evil.com', 'https://evil.com', 'javascript:alert(document.domain)', '/%2F%2Fevil.com', '/\t/evil.com']) {
      await context.clearCookies(); // signed out: a live session would skip the form (and use the same rule)
      await page.goto(`${stack.dashboardUrl}/login?next=${encodeURIComponent(next)}`);
      await submitLogin(page, stack.adminToken);
      await page.waitForURL(`${stack.dashboardUrl}/`, COMMIT);
      await page.getByRole('link', { name: 'e2e-session' }).waitFor();
    }
    expect(offsite).toEqual([]);
  });

  describe('from a page of another site (127.0.0.2)', () => {
    let foreign: Server;
    let foreignUrl = '';

    beforeAll(async () => {
      foreign = createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(foreignPage(req.url ?? '/'));
      });
      await new Promise<void>((r) => foreign.listen(0, '127.0.0.2', r));
      foreignUrl = `http://127.0.0.2:${(foreign.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      foreign.closeAllConnections();
      await new Promise((r) => foreign.close(r));
    });

    /** The attacker's pages: a plain link, an auto-submitted form, a no-cors fetch. */
    function foreignPage(path: string): string {
      const target = `${stack.dashboardUrl}/api/v1/balancers`;
      if (path === '/link') return `<a id="go" href="${stack.dashboardUrl}/balancers/${balancerId}">open</a>`;
      if (path === '/form') {
        // enctype text/plain makes a JSON-looking body: {"name":"csrf-form","pad":"="}
        return `<form id="f" method="POST" enctype="text/plain" action="${target}"><input name='{"name":"csrf-form","pad":"' value='"}'></form><script>document.getElementById('f').submit()</script>`;
      }
      return `<script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"name":"csrf-fetch","lbMethod":"byrequests"}' })</script>`;
    }

    it('a link into the dashboard: the cookie stays behind (SameSite=Strict), the login page sees the live session and goes on', async () => {
      const { context, page } = await freshPage();
      await page.goto(`${stack.dashboardUrl}/login`);
      await submitLogin(page, stack.adminToken);
      await page.waitForURL(`${stack.dashboardUrl}/`, COMMIT);
      const documents: string[] = [];
      page.on('request', (r) => {
        if (r.resourceType() === 'document') documents.push(r.url().replace(stack.dashboardUrl, ''));
      });
      await page.goto(`${foreignUrl}/link`);
      await page.locator('#go').click();
      await page.waitForURL(`${stack.dashboardUrl}/balancers/${balancerId}`, COMMIT);
      await page.locator('[data-testid="member-row"]').first().waitFor();
      // No cookie on the cross-site navigation → the login page, which went on by itself.
      expect(documents).toContain(`/login?next=${encodeURIComponent(`/balancers/${balancerId}`)}`);
      expect(await sessionCookie(context)).toMatchObject({ value: stack.adminToken });
    });

    it.each([
      ['an auto-submitted form', '/form'],
      ['a no-cors fetch', '/fetch'],
    ])('%s posting through the dashboard is refused with 403, without the cookie, and creates nothing', async (_, path) => {
      const { page } = await freshPage();
      await page.goto(`${stack.dashboardUrl}/login`);
      await submitLogin(page, stack.adminToken);
      await page.waitForURL(`${stack.dashboardUrl}/`, COMMIT);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${stack.dashboardUrl}/api/v1/balancers` && r.request().method() === 'POST'),
        page.goto(`${foreignUrl}${path}`),
      ]);
      expect(response.status()).toBe(403);
      expect((await response.request().allHeaders()).cookie ?? '').not.toContain('switchboard_session');
      if (path === '/form') expect(await response.text()).toContain('Sec-Fetch-Site is \\"cross-site\\"');
      const balancers = await stack.api<{ name: string }[]>('GET', '/api/v1/balancers');
      expect(balancers.body.map((b) => b.name).filter((n) => n.startsWith('csrf-'))).toEqual([]);
    });
  });

  it('logout clears the cookie; the pages then ask to log in again', async () => {
    const { context, page } = await freshPage();
    await page.goto(`${stack.dashboardUrl}/login`);
    await submitLogin(page, stack.adminToken);
    await page.waitForURL(`${stack.dashboardUrl}/`, COMMIT);
    expect(await sessionCookie(context)).toBeDefined();
    await page.locator('[data-testid="sign-out"]').click();
    await page.waitForURL(`${stack.dashboardUrl}/login`, COMMIT);
    expect(await sessionCookie(context)).toBeUndefined();
    await page.goto(`${stack.dashboardUrl}/balancers/${balancerId}`);
    await page.waitForURL(`${stack.dashboardUrl}/login?next=${encodeURIComponent(`/balancers/${balancerId}`)}`, COMMIT);
  });

  it('a revoked token sends the user back to the login page and removes the cookie', async () => {
    const created = await stack.api<{ id: string; token: string }>('POST', '/api/v1/tokens', { name: 'e2e-revoked', role: 'viewer' });
    expect(created.status).toBe(201);
    const { context, page } = await freshPage();
    await page.goto(`${stack.dashboardUrl}/login`);
    await submitLogin(page, created.body.token);
    await page.waitForURL(`${stack.dashboardUrl}/`, COMMIT);
    await page.getByRole('link', { name: 'e2e-session' }).waitFor();
    expect(await sessionCookie(context)).toMatchObject({ value: created.body.token });

    const revoked = await stack.api('DELETE', `/api/v1/tokens/${created.body.id}`);
    expect(revoked.status).toBeLessThan(300);
    await page.goto(`${stack.dashboardUrl}/balancers/${balancerId}`);
    await page.waitForURL(`${stack.dashboardUrl}/login?next=${encodeURIComponent(`/balancers/${balancerId}`)}`, COMMIT);
    expect(await sessionCookie(context)).toBeUndefined();
    // The revoked token cannot log in again either.
    await submitLogin(page, created.body.token);
    await page.locator('[data-testid="login-error"]').filter({ hasText: 'not accepted' }).waitFor();
    expect(await sessionCookie(context)).toBeUndefined();
  });
});
