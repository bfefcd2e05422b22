import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { agentAtRevision, createBalancer } from './support/config';
import { signedInPage, submitLogin, watchCspViolations } from './support/dashboard';
import { startStack, type Stack } from './support/stack';

// The revisions page in a real Chromium against the real control plane and agent: the history,
// a side-by-side diff between two revisions, a rollback confirmed after its dry-run diff (and
// served by the agent), a stale preview refused with 412, and what a viewer is not offered.

interface RevisionItem {
  number: number;
  hash: string;
  author: string;
  reason: string;
}

describe('dashboard: revisions, diff and rollback (browser)', () => {
  let stack: Stack;
  let browser: Browser | undefined;
  let balancerId = '';
  let memberId = '';
  /** Revisions of the writes below: the route created, the member's weight 1 → 7, lbmethod bybusyness → p2c. */
  let routeRev = 0;
  let weightRev = 0;
  let lbRev = 0;

  beforeAll(async () => {
    stack = await startStack({ dashboard: true });
    browser = await launchBrowser();
    const created = await createBalancer(stack, 'rev-e2e', [{ url: 'ws://127.0.0.1:9', name: 'alpha', weight: 1 }]);
    balancerId = created.balancerId;
    memberId = created.memberIds.alpha!;
    routeRev = created.revision;
    weightRev = await write('PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { weight: 7 });
    lbRev = await write('PATCH', `/api/v1/balancers/${balancerId}`, { lbMethod: 'p2c' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stack?.stop();
  }, 60_000);

  /** A configuration write through the API; returns the revision it made. */
  async function write(method: string, path: string, body: unknown): Promise<number> {
    const res = await stack.api(method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return Number(res.headers.get('switchboard-revision'));
  }

  const revisions = async (limit = 50) => (await stack.api<RevisionItem[]>('GET', `/api/v1/revisions?limit=${limit}`)).body;

  /** The page at `/revisions<query>` with its diff (or its reason for none) shown. */
  async function revisionsPage(page: Page, query = ''): Promise<void> {
    await page.goto(`${stack.dashboardUrl}/revisions${query}`);
    await page.locator('[data-testid="revision-row"]').first().waitFor();
    await page.locator('[data-testid="side-by-side"], [data-testid="diff-empty"], [data-testid="diff-error"]').first().waitFor();
  }

  /** Texts of the left and right cells of the side-by-side rows of `kind`. */
  async function diffRows(scope: Page | ReturnType<Page['locator']>, kind: string): Promise<{ left: string; right: string }[]> {
    const rows = scope.locator(`[data-testid="diff-row"][data-kind="${kind}"]`);
    const out: { left: string; right: string }[] = [];
    for (const row of await rows.all()) {
      out.push({ left: (await row.locator('[data-testid="diff-left"]').textContent()) ?? '', right: (await row.locator('[data-testid="diff-right"]').textContent()) ?? '' });
    }
    return out;
  }

  it('lists the writes newest first with author, reason and hash, and diffs two revisions side by side', async () => {
    const page = await signedInPage(browser!, stack);
    await page.getByRole('link', { name: 'Revisions' }).click();
    await page.waitForURL(`${stack.dashboardUrl}/revisions`);
    await page.locator('[data-testid="side-by-side"]').waitFor();

    const api = await revisions();
    const rows = page.locator('[data-testid="revision-row"]');
    expect(await rows.count()).toBe(api.length);
    expect((await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-revision'))))).slice(0, 3)).toEqual([lbRev, weightRev, routeRev]);
    expect(await page.locator('[data-testid="revision-reason"]').allTextContents()).toEqual(api.map((r) => r.reason));
    expect(await page.locator('[data-testid="revision-author"]').first().textContent()).toBe(api[0]!.author);
    expect(await page.locator('[data-testid="revision-hash"]').first().textContent()).toBe(api[0]!.hash.slice(0, 10));
    expect(await rows.first().getAttribute('aria-current')).toBe('true');

    // By default: the latest against its predecessor, lbmethod changed on both sides.
    expect(await page.locator('[data-testid="diff-title"]').textContent()).toBe(`Revision ${weightRev} → ${lbRev}`);
    const balancerChange = page.locator('[data-testid="change-item"][data-kind="balancer"][data-op="changed"]');
    expect(await balancerChange.textContent()).toContain('bybusyness → p2c');
    const lbRows = (await diffRows(page, 'changed')).filter((r) => r.left.includes('lbMethod'));
    expect(lbRows).toEqual([{ left: expect.stringContaining('bybusyness'), right: expect.stringContaining('p2c') }]);
    expect(await page.locator('[data-testid="diff-row"][data-kind="changed"] .diff-mark').allTextContents()).toContain('−');

    // Another pair through the list's link: the weight change, 1 on the left and 7 on the right.
    await rows.nth(1).locator('[data-testid="revision-link"]').click();
    await page.waitForURL(`${stack.dashboardUrl}/revisions?rev=${weightRev}`);
    await expect.poll(() => page.locator('[data-testid="diff-title"]').textContent()).toBe(`Revision ${routeRev} → ${weightRev}`);
    await page.locator('[data-testid="change-item"][data-kind="member"]').waitFor();
    expect(await page.locator('[data-testid="change-item"][data-kind="member"]').textContent()).toContain('weight: 1 → 7');
    const weightRows = (await diffRows(page, 'changed')).filter((r) => r.left.includes('weight'));
    expect(weightRows).toEqual([{ left: expect.stringMatching(/weight: 1$/), right: expect.stringMatching(/weight: 7$/) }]);

    // Any two, older first whichever way round they are asked (a link from the audit page).
    await revisionsPage(page, `?rev=${routeRev}&against=${lbRev}`);
    expect(await page.locator('[data-testid="diff-title"]').textContent()).toBe(`Revision ${routeRev} → ${lbRev}`);
    expect(await page.locator('[data-testid="diff-left-label"]').textContent()).toBe(`Revision ${routeRev}`);
    expect(await page.locator('[data-testid="change-item"]').count()).toBe(2);
    await page.close();
  }, 120_000);

  it('rolls back from the page after showing the dry-run diff; the new revision has the old hash and the agent serves it', async () => {
    const before = await revisions();
    const target = before.find((r) => r.number === routeRev)!;
    const page = await signedInPage(browser!, stack);
    const cspViolations = await watchCspViolations(page.context());
    await revisionsPage(page, `?rev=${routeRev}`);

    await page.locator('[data-testid="rollback"]').click();
    const dialog = page.locator('[data-testid="rollback-dialog"]');
    await dialog.locator('[data-testid="rollback-confirm"]').waitFor();
    // The confirmation shows what the rollback changes, current → target: both writes undone.
    expect(await dialog.locator('[data-testid="rollback-summary"]').textContent()).toContain(`revision ${lbRev}`);
    expect(await dialog.locator('[data-testid="change-item"][data-kind="member"]').textContent()).toContain('weight: 7 → 1');
    expect(await dialog.locator('[data-testid="change-item"][data-kind="balancer"]').textContent()).toContain('p2c → bybusyness');
    expect((await diffRows(dialog, 'changed')).filter((r) => r.left.includes('weight'))).toEqual([{ left: expect.stringMatching(/weight: 7$/), right: expect.stringMatching(/weight: 1$/) }]);
    // The preview was a dry run: nothing written.
    expect((await revisions(1))[0]!.number).toBe(lbRev);

    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/revisions/${routeRev}/rollback`)),
      dialog.locator('[data-testid="rollback-confirm"]').click(),
    ]);
    expect(answer.status()).toBe(200);
    expect(answer.request().headers()['if-match']).toBe(String(lbRev));
    await dialog.waitFor({ state: 'detached' });

    const latest = (await revisions(1))[0]!;
    expect(latest).toMatchObject({ number: lbRev + 1, reason: 'revision.rollback', hash: target.hash });
    await page.waitForURL(`${stack.dashboardUrl}/revisions?rev=${latest.number}`);
    await expect.poll(() => page.locator('[data-testid="revision-row"]').first().getAttribute('data-revision')).toBe(String(latest.number));
    expect(await page.locator('[data-testid="rolled-back"]').textContent()).toContain(`revision ${latest.number}`);
    expect(await page.locator('[data-testid="revision-reason"]').first().textContent()).toBe('revision.rollback');

    await agentAtRevision(stack.agentAdminUrl, latest.number);
    const served = (await (await fetch(`${stack.agentAdminUrl}/config`)).json()) as { revision: number; hash: string };
    expect(served).toMatchObject({ revision: latest.number, hash: target.hash });
    expect(cspViolations).toEqual([]);
    await page.close();
  }, 120_000);

  it('refuses a rollback previewed before someone else changed the configuration (412), writes nothing, and previews again', async () => {
    const page = await signedInPage(browser!, stack);
    await revisionsPage(page, `?rev=${weightRev}`);
    await page.locator('[data-testid="rollback"]').click();
    const dialog = page.locator('[data-testid="rollback-dialog"]');
    await dialog.locator('[data-testid="rollback-confirm"]').waitFor();

    const meanwhile = await write('PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { weight: 42 });
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith(`/revisions/${weightRev}/rollback`)),
      dialog.locator('[data-testid="rollback-confirm"]').click(),
    ]);
    expect(answer.status()).toBe(412);
    const error = dialog.locator('[data-testid="rollback-error"]');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/changed after this preview.*Nothing was rolled back/);
    expect(await dialog.locator('[data-testid="rollback-confirm"]').count()).toBe(0);
    expect((await revisions(1))[0]!.number).toBe(meanwhile);

    // A new preview starts from the configuration as it is now (weight 42).
    await dialog.locator('[data-testid="rollback-preview-again"]').click();
    await dialog.locator('[data-testid="rollback-confirm"]').waitFor();
    expect(await dialog.locator('[data-testid="rollback-summary"]').textContent()).toContain(`revision ${meanwhile}`);
    expect(await dialog.locator('[data-testid="change-item"][data-kind="member"]').textContent()).toContain('weight: 42 → 7');
    await dialog.locator('[data-testid="rollback-cancel"]').click();
    await dialog.waitFor({ state: 'detached' });
    expect((await revisions(1))[0]!.number).toBe(meanwhile);
    await page.close();
  }, 120_000);

  it('offers a viewer the history and diffs page by page but no rollback', async () => {
    // More revisions than one page holds.
    for (let weight = 10; weight < 30; weight++) await write('PATCH', `/api/v1/balancers/${balancerId}/members/${memberId}`, { weight });
    const all = await revisions(500);
    const viewer = await stack.api<{ token: string }>('POST', '/api/v1/tokens', { name: 'e2e-viewer', role: 'viewer' });
    const page = await browser!.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${stack.dashboardUrl}/login?next=${encodeURIComponent(`/revisions?rev=${routeRev}`)}`);
    await submitLogin(page, viewer.body.token);
    await page.locator('[data-testid="side-by-side"]').waitFor();
    await page.locator('[data-testid="me"]').filter({ hasText: 'viewer' }).waitFor();
    expect(await page.locator('[data-testid="rollback"]').count()).toBe(0);

    const rows = page.locator('[data-testid="revision-row"]');
    expect(await rows.count()).toBe(20);
    const more = page.locator('[data-testid="load-more"]');
    for (let shown = 20; shown < all.length; shown = Math.min(shown + 20, all.length)) {
      await more.click();
      await expect.poll(() => rows.count()).toBe(Math.min(shown + 20, all.length));
    }
    expect(await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-revision'))))).toEqual(all.map((r) => r.number));
    expect(await more.count()).toBe(0);
    await page.close();
  }, 120_000);
});
