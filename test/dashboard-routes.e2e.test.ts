import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { agentAtRevision } from './support/config';
import { clickForResponse, signedInPage, submitLogin, watchCspViolations } from './support/dashboard';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

// The Routes page in a real Chromium against the real control plane and agent: a route created
// in the editor (after the API refused a lookahead next to the match field), the tester naming
// it for a URL, a real request through the agent reaching that route's balancer, and edits and
// deletes previewed as dry runs before they are saved.

interface RouteBody {
  id: string;
  balancerId: string;
  match: { type: string; path: string };
  stripPrefix: boolean;
}

describe('dashboard: routes and the route tester (browser)', () => {
  let stack: Stack;
  let backends: EchoBackend[] = [];
  let browser: Browser | undefined;
  const balancerIds: Record<string, string> = {};

  /** Creates balancer `name` with the backend of the same name as its member; returns the revision. */
  async function balancerWithMember(name: string, backend: EchoBackend): Promise<number> {
    const balancer = await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name });
    balancerIds[name] = balancer.body.id;
    const member = await stack.api('POST', `/api/v1/balancers/${balancer.body.id}/members`, { url: backend.url });
    return Number(member.headers.get('switchboard-revision'));
  }

  beforeAll(async () => {
    stack = await startStack({ dashboard: true });
    backends = await Promise.all([startEchoBackend('rt-web'), startEchoBackend('rt-api')]);
    browser = await launchBrowser();
    await balancerWithMember('web', backends[0]);
    await balancerWithMember('api', backends[1]);
    const route = await stack.api('POST', '/api/v1/routes', { balancerId: balancerIds.web, priority: -1, match: { type: 'prefix', path: '/' } });
    expect(route.status).toBe(201);
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
    await stack?.stop();
  }, 60_000);

  async function routesPage(page: Page, rows: number): Promise<void> {
    await page.goto(`${stack.dashboardUrl}/routes`);
    await page.locator('[data-testid="route-row"]').nth(rows - 1).waitFor();
  }

  /** Polls the text of the element(s) with `testId` (joined; '' while there is none) until the assertion holds (the page renders after input). */
  const poll = (page: Page, testId: string) => expect.poll(async () => (await page.locator(`[data-testid="${testId}"]`).allTextContents()).join(' | '), { timeout: 10_000 });

  it('creates a route after a field error for a lookahead, the tester names it for a URL, and the agent sends that URL to its balancer', async () => {
    const page = await signedInPage(browser!, stack);
    const cspViolations = await watchCspViolations(page.context());
    await routesPage(page, 1);
    await page.locator('[data-testid="route-new"]').click();
    await page.locator('[data-testid="route-balancer"]').selectOption({ label: 'api' });
    await page.locator('[data-testid="route-priority"]').fill('10');
    await page.locator('[data-testid="route-match-type"]').selectOption('regex');
    await page.locator('[data-testid="route-match-path"]').fill('^/api/(?=v1)');
    await page.locator('[data-testid="route-strip-prefix"]').check();

    // The tester says the draft is not tested yet, and the saved routes send the URL to `web`.
    await page.locator('[data-testid="tester-url"]').fill('http://shop.example.com/api/v2/items?q=1');
    await poll(page, 'tester-draft-invalid').toContain('match.path: lookahead (?=…) is not supported');
    await poll(page, 'tester-saved-balancer').toBe('web');

    const [refused] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/routes')), page.locator('[data-testid="route-save"]').click()]);
    expect(refused.status()).toBe(400);
    await poll(page, 'route-match-path-error').toBe('lookahead (?=…) is not supported: route regexes use RE2 syntax');
    // Next to its field: inside the same label as the match input.
    expect(await page.locator('label:has([data-testid="route-match-path"]) [data-testid="route-match-path-error"]').count()).toBe(1);
    // Nothing typed is lost.
    expect(await page.locator('[data-testid="route-match-path"]').inputValue()).toBe('^/api/(?=v1)');
    expect(await page.locator('[data-testid="route-priority"]').inputValue()).toBe('10');
    expect(await page.locator('[data-testid="route-strip-prefix"]').isChecked()).toBe(true);
    expect(await page.locator('[data-testid="route-balancer"] option:checked').textContent()).toBe('api');
    expect((await stack.api<RouteBody[]>('GET', '/api/v1/routes')).body).toHaveLength(1);

    // A valid regex: the draft takes the URL, stripped; the saved routes still do not.
    await page.locator('[data-testid="route-match-path"]').fill('^/api/v[0-9]+');
    await poll(page, 'tester-draft-route').toBe('regex ^/api/v[0-9]+');
    await poll(page, 'tester-draft-balancer').toBe('api');
    await poll(page, 'tester-draft-path').toBe('/items?q=1');
    await poll(page, 'tester-saved-balancer').toBe('web');

    const [created] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/routes')), page.locator('[data-testid="route-save"]').click()]);
    expect(created.status()).toBe(201);
    const revision = Number(created.headers()['switchboard-revision']);
    await poll(page, 'route-note').toBe(`Route regex ^/api/v[0-9]+ created — configuration revision ${revision}`);
    const saved = (await stack.api<RouteBody[]>('GET', '/api/v1/routes')).body.find((r) => r.match.type === 'regex')!;
    expect(saved).toMatchObject({ balancerId: balancerIds.api, match: { path: '^/api/v[0-9]+' }, stripPrefix: true });

    // The saved routes now send the URL to the new route: named, its row highlighted.
    await poll(page, 'tester-saved-balancer').toBe('api');
    expect(await page.locator('[data-testid="tester-saved-route"]').getAttribute('data-route-id')).toBe(saved.id);
    await poll(page, 'tester-saved-path').toBe('/items?q=1');
    const matchedRow = page.locator('[data-testid="route-row"][data-verdict="matched"]');
    expect(await matchedRow.getAttribute('data-route-id')).toBe(saved.id);
    expect(await matchedRow.locator('[data-testid="route-verdict"]').textContent()).toBe('takes it');

    // A real request through the agent reaches the api balancer's member, with the path the tester said.
    await agentAtRevision(stack.agentAdminUrl, revision);
    const res = await fetch(`${stack.agentUrl}/api/v2/items?q=1`);
    expect(await res.text()).toBe('rt-api GET /items?q=1');
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('edits a route with the API naming a bad priority by its field, then deletes it', async () => {
    const page = await signedInPage(browser!, stack);
    await routesPage(page, 2);
    const row = page.locator('[data-testid="route-row"]', { has: page.locator('code', { hasText: 'regex ^/api/v[0-9]+' }) });
    await row.locator('[data-testid="route-edit"]').click();
    await page.locator('[data-testid="route-priority"]').fill('5000');
    await page.locator('[data-testid="route-save"]').click();
    await poll(page, 'route-priority-error').toMatch(/1000/);
    await page.locator('[data-testid="route-priority"]').fill('20');
    await page.locator('[data-testid="route-websocket"]').selectOption('never');
    await page.locator('[data-testid="tester-url"]').fill('ws://shop.example.com/api/v1/x');
    await poll(page, 'tester-saved-balancer').toBe('api');
    await poll(page, 'tester-draft-balancer').toBe('web');
    await page.locator('[data-testid="route-save"]').click();
    await page.locator('[data-testid="route-note"]').waitFor();
    const edited = (await stack.api<(RouteBody & { priority: number; websocket: string })[]>('GET', '/api/v1/routes')).body.find((r) => r.match.type === 'regex')!;
    expect(edited).toMatchObject({ priority: 20, websocket: 'never' });

    await row.locator('[data-testid="route-delete"]').click();
    await page.locator('[data-testid="route-delete-save"]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="route-row"]').length === 1);
    expect((await stack.api<RouteBody[]>('GET', '/api/v1/routes')).body).toHaveLength(1);
    await page.close();
  });

  it('previews a route edit without writing, refuses a Save made stale by another write (412), saves one revision, and deletes a route after its preview', async () => {
    const latest = async () => (await stack.api<{ number: number }[]>('GET', '/api/v1/revisions?limit=1')).body[0].number;
    const routeNow = async (id: string) => (await stack.api<RouteBody[]>('GET', '/api/v1/routes')).body.find((r) => r.id === id);
    const created = await stack.api<RouteBody>('POST', '/api/v1/routes', { balancerId: balancerIds.api, match: { type: 'prefix', path: '/a' } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const page = await signedInPage(browser!, stack);
    await routesPage(page, 2);
    const row = page.locator(`[data-testid="route-row"][data-route-id="${id}"]`);
    await row.locator('[data-testid="route-edit"]').click();
    expect(await page.locator('[data-testid="route-preview"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="route-match-path"]').fill('/b');

    // Preview: the dry run's diff, and no revision made.
    const before = await latest();
    expect((await clickForResponse(page, '[data-testid="route-preview"]', 'PATCH', /\/routes\/[^/]+\?dryRun=true$/)).status()).toBe(200);
    await poll(page, 'change-summary').toBe(`1 change against revision ${before}`);
    await poll(page, 'change-item').toContain('match.path: "/a" → "/b"');
    expect(await page.locator('[data-testid="change-item"]').getAttribute('data-op')).toBe('changed');
    expect(await latest()).toBe(before);
    expect((await routeNow(id))?.match.path).toBe('/a');

    // Another write after the preview: Save sends If-Match with the previewed revision, is refused, nothing is saved.
    const spare = await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name: 'rt-spare' });
    expect(spare.status).toBe(201);
    const stale = await clickForResponse(page, '[data-testid="route-save"]', 'PATCH', new RegExp(`/routes/${id}$`));
    expect(stale.status()).toBe(412);
    expect(stale.request().headers()['if-match']).toBe(String(before));
    await poll(page, 'route-error').toContain('Preview again');
    expect(await page.locator('[data-testid="change-preview"]').count()).toBe(0);
    expect(await page.locator('[data-testid="route-match-path"]').inputValue()).toBe('/b');
    expect(await latest()).toBe(before + 1);
    expect((await routeNow(id))?.match.path).toBe('/a');

    // Preview again, then Save: exactly one revision, the route changed.
    expect((await clickForResponse(page, '[data-testid="route-preview"]', 'PATCH', /\?dryRun=true$/)).status()).toBe(200);
    await poll(page, 'change-summary').toBe(`1 change against revision ${before + 1}`);
    const saved = await clickForResponse(page, '[data-testid="route-save"]', 'PATCH', new RegExp(`/routes/${id}$`));
    expect(saved.status()).toBe(200);
    expect(saved.headers()['switchboard-revision']).toBe(String(before + 2));
    await poll(page, 'route-note').toBe(`Route prefix /b saved — configuration revision ${before + 2}`);
    expect((await stack.api<{ number: number }[]>('GET', '/api/v1/revisions?limit=2')).body.map((r) => r.number)).toEqual([before + 2, before + 1]);
    expect((await routeNow(id))?.match.path).toBe('/b');

    // Delete: previewed (the route removed in the diff, nothing written), then confirmed.
    await row.locator('[data-testid="route-delete"]').click();
    expect((await clickForResponse(page, '[data-testid="route-delete-preview"]', 'DELETE', /\?dryRun=true$/)).status()).toBe(200);
    await poll(page, 'change-item').toContain('route * prefix /b any → api: removed');
    expect(await page.locator('[data-testid="change-item"]').getAttribute('data-op')).toBe('removed');
    expect(await latest()).toBe(before + 2);
    expect(await routeNow(id)).toBeDefined();
    const deleted = await clickForResponse(page, '[data-testid="route-delete-save"]', 'DELETE', new RegExp(`/routes/${id}$`));
    expect(deleted.status()).toBe(200);
    expect(deleted.request().headers()['if-match']).toBe(String(before + 2));
    await row.waitFor({ state: 'detached' });
    await poll(page, 'route-note').toBe(`Route prefix /b deleted — configuration revision ${before + 3}`);
    expect(await routeNow(id)).toBeUndefined();
    expect(await latest()).toBe(before + 3);
    expect((await stack.api('DELETE', `/api/v1/balancers/${spare.body.id}`)).status).toBe(200);
    await page.close();
  });

  it('offers a viewer no route controls, and the tester still answers', async () => {
    const { token } = (await stack.api<{ token: string }>('POST', '/api/v1/tokens', { name: 'e2e-routes-viewer', role: 'viewer' })).body;
    const page = await browser!.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${stack.dashboardUrl}/login`);
    await submitLogin(page, token);
    await page.waitForURL(`${stack.dashboardUrl}/`);
    await routesPage(page, 1);
    await page.locator('[data-testid="me"]').waitFor();
    expect(await page.locator('[data-testid="route-new"], [data-testid="route-edit"], [data-testid="route-delete"]').count()).toBe(0);
    await page.locator('[data-testid="tester-url"]').fill('/public/../x%2Fy');
    await page.locator('[data-testid="tester-host"]').fill('shop.example.com');
    await poll(page, 'tester-saved-balancer').toBe('web');
    await poll(page, 'tester-saved-path').toBe('/x%2Fy');
    await page.locator('[data-testid="tester-url"]').fill('/../etc/passwd');
    await poll(page, 'tester-saved-refusal').toBe('400 bad request target: ".." climbs above the root');
    await page.close();
  });
});
