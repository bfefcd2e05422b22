import type { AuditEvent, AuditPage } from '@switchboard/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { submitLogin, watchCspViolations } from './support/dashboard';
import { startStack, type Stack } from './support/stack';

// The Audit page in a real Chromium against the real control plane: filter by action, only
// matching rows, older pages on demand, the filter in the URL surviving a reload, a time filter
// typed in the browser's zone and sent as UTC, and before/after shown as text.

/** The browser runs in this zone so that local ↔ UTC conversion is visible (UTC+05:30). */
const ZONE = 'Asia/Kolkata';
const ZONE_OFFSET_MS = 5.5 * 3600_000;
/** A member name that would be markup if the page rendered before/after as HTML. */
const MARKUP = '<img src=x data-injected=1>';
/** Member updates made by the operator: more than one page (50) holds, in two batches over a second apart. */
const UPDATES = 56;
const LATE_UPDATES = 16;

describe('dashboard: audit log (browser)', () => {
  let stack: Stack;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let csp: string[];
  let updates: AuditEvent[];

  beforeAll(async () => {
    stack = await startStack({ dashboard: true, agents: 0 });
    browser = await launchBrowser();
    const balancer = await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name: 'audited' });
    const member = await stack.api<{ id: string }>('POST', `/api/v1/balancers/${balancer.body.id}/members`, { url: 'http://127.0.0.1:9001', name: MARKUP });
    const operator = await stack.api<{ token: string }>('POST', '/api/v1/tokens', { name: 'ops-bob', role: 'operator' });
    for (let i = 0; i < UPDATES; i++) {
      if (i === UPDATES - LATE_UPDATES) await new Promise((r) => setTimeout(r, 1_100));
      const res = await stack.api('PATCH', `/api/v1/balancers/${balancer.body.id}/members/${member.body.id}`, { weight: 2 + i }, { authorization: `Bearer ${operator.body.token}` });
      expect(res.status).toBe(200);
    }
    await stack.api('POST', '/api/v1/routes', { balancerId: balancer.body.id, match: { path: '/audited' } });
    updates = (await stack.api<AuditPage>('GET', '/api/v1/audit?action=member.update&limit=500')).body.items;
    expect(updates).toHaveLength(UPDATES);

    context = await browser.newContext({ timezoneId: ZONE });
    csp = await watchCspViolations(context);
    const login = await context.newPage();
    await login.goto(`${stack.dashboardUrl}/login`);
    await submitLogin(login, stack.adminToken);
    await login.waitForURL(`${stack.dashboardUrl}/`);
    await login.close();
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  }, 60_000);

  /** A new page of the signed-in context (its session cookie set in beforeAll) at `path`. */
  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${stack.dashboardUrl}${path}`);
    return page;
  }

  const rows = (page: Page) => page.locator('[data-testid="audit-row"]');
  const actions = (page: Page) => page.locator('[data-testid="audit-action-cell"]').allTextContents();
  const eventIds = async (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-event-id')));
  const countIs = async (page: Page, n: number) => expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(n);

  it('filters by action, shows only matching rows, loads older ones, and keeps the filter in the URL across a reload', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.waitForURL(`${stack.dashboardUrl}/audit`);
    await countIs(page, 50); // the newest page of everything: route.create first
    expect((await actions(page))[0]).toBe('route.create');

    await page.locator('[data-testid="audit-action"]').fill('member.update');
    await page.locator('[data-testid="audit-apply"]').click();
    await page.waitForURL(`${stack.dashboardUrl}/audit?action=member.update`);
    await expect.poll(() => actions(page), { timeout: 10_000 }).toEqual(Array(50).fill('member.update'));
    expect(await page.locator('[data-testid="audit-actor-cell"]').first().textContent()).toBe('ops-bob');

    await page.locator('[data-testid="audit-load-older"]').click();
    await countIs(page, UPDATES);
    expect(await actions(page)).toEqual(Array(UPDATES).fill('member.update'));
    expect(await eventIds(page)).toEqual(updates.map((e) => e.id)); // each once, newest first
    expect(await page.locator('[data-testid="audit-load-older"]').count()).toBe(0);

    await page.reload();
    expect(page.url()).toBe(`${stack.dashboardUrl}/audit?action=member.update`);
    await expect.poll(() => actions(page), { timeout: 10_000 }).toEqual(Array(50).fill('member.update'));
    expect(await page.locator('[data-testid="audit-action"]').inputValue()).toBe('member.update');

    await page.locator('[data-testid="audit-action"]').fill('route.');
    await page.locator('[data-testid="audit-apply"]').click();
    await page.waitForURL(`${stack.dashboardUrl}/audit?action=route.`);
    await expect.poll(() => actions(page), { timeout: 10_000 }).toEqual(['route.create']);
    expect(await page.locator('[data-testid="audit-load-older"]').count()).toBe(0);
    await page.close();
  });

  it('takes since in the browser zone, puts it in the URL as UTC, and lists only events from then on', async () => {
    const page = await open('/audit?action=member.update');
    await countIs(page, 50);

    // The second of the first late update, typed as Kolkata wall-clock time: the batch before is over a second older.
    const since = new Date(Math.floor(Date.parse(updates[LATE_UPDATES - 1].createdAt) / 1000) * 1000);
    const local = new Date(since.getTime() + ZONE_OFFSET_MS).toISOString().slice(0, 19);
    await page.locator('[data-testid="audit-since"]').fill(local);
    await page.locator('[data-testid="audit-apply"]').click();
    await page.waitForURL((url) => url.searchParams.has('since'));
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ action: 'member.update', since: since.toISOString() });

    const expected = updates.slice(0, LATE_UPDATES).map((e) => e.id);
    await expect.poll(() => eventIds(page), { timeout: 10_000 }).toEqual(expected);

    await page.reload();
    await expect.poll(() => eventIds(page), { timeout: 10_000 }).toEqual(expected);
    expect(await page.locator('[data-testid="audit-since"]').inputValue()).toBe(local);
    await page.close();
  });

  it('shows before and after as text, links the revision, and names a bad filter from the URL by its field', async () => {
    const page = await open('/audit?action=member.create');
    await countIs(page, 1);
    const row = rows(page).first();
    expect(await row.locator('[data-testid="audit-after"]').isVisible()).toBe(false);
    await row.locator('summary').click();
    const after = row.locator('[data-testid="audit-after"]');
    await after.waitFor({ state: 'visible' });
    expect(await after.textContent()).toContain(`"name": "${MARKUP}"`);
    expect(await row.locator('[data-testid="audit-before"]').textContent()).toBe('(none)');
    expect(await page.locator('[data-injected]').count()).toBe(0);

    const created = (await stack.api<AuditPage>('GET', '/api/v1/audit?action=member.create')).body.items[0];
    expect(await row.locator('[data-testid="audit-revision"]').getAttribute('href')).toBe(`/revisions?rev=${created.revision}`);

    await page.goto(`${stack.dashboardUrl}/audit?since=yesterday`);
    const error = page.locator('[data-testid="audit-since-error"]');
    await error.waitFor();
    expect(await error.textContent()).toBeTruthy();
    expect(await rows(page).count()).toBe(0);
    await page.close();
    expect(csp).toEqual([]);
  });
});
