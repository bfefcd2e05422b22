import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { wsUrl } from './support/clients';
import { createBalancer } from './support/config';
import { clickForResponse, openTunnel, submitLogin, watchCspViolations, type Tunnel } from './support/dashboard';
import { eventually } from './support/processes';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

// Editing balancers and members in a real Chromium against the real control plane, agent and
// echo backends: add a member and see it serve, field errors next to their fields, dry-run
// previews that write nothing, create and delete, and what each role is (not) offered.

interface BalancerBody {
  id: string;
  name: string;
  lbMethod: string;
  timeouts: { connectMs: number };
  healthCheck: { type: string; path: string; intervalMs: number; timeoutMs: number };
}

interface MemberBody {
  id: string;
  url: string;
  name: string | null;
  weight: number;
  lbset: number;
  state: string;
}

describe('dashboard: editing balancers and members (browser)', () => {
  let stack: Stack;
  let backends: EchoBackend[] = [];
  let browser: Browser | undefined;
  const tunnels: Tunnel[] = [];
  /** The browser contexts a test opened, each with the CSP violations seen in it (none is expected). */
  const contexts: { context: BrowserContext; violations: string[] }[] = [];

  beforeAll(async () => {
    stack = await startStack({ dashboard: true });
    backends = await Promise.all([startEchoBackend('alpha'), startEchoBackend('beta')]);
    browser = await launchBrowser();
  }, 180_000);

  afterEach(async () => {
    const opened = contexts.splice(0);
    await Promise.all(opened.map((c) => c.context.close()));
    expect(opened.flatMap((c) => c.violations)).toEqual([]);
  });

  afterAll(async () => {
    for (const t of tunnels) t.ws.terminate();
    await browser?.close().catch(() => undefined);
    await Promise.all(backends.map((b) => b.close().catch(() => undefined)));
    await stack?.stop();
  }, 60_000);

  const tid = (id: string) => `[data-testid="${id}"]`;

  /** The latest revision number, as the API lists it. */
  async function latestRevision(): Promise<number> {
    const res = await stack.api<{ number: number }[]>('GET', '/api/v1/revisions?limit=1');
    return res.body[0]?.number ?? 0;
  }

  /** A page signed in with `token` (the admin's by default) on the balancer's page, its member rows loaded and the role known. */
  async function balancerPage(balancerId: string, members: number, token = stack.adminToken): Promise<Page> {
    const page = await signInAs(token);
    await page.goto(`${stack.dashboardUrl}/balancers/${balancerId}`);
    await page.locator(tid('balancer-settings')).waitFor();
    if (members > 0) await page.locator(tid('member-row')).nth(members - 1).waitFor();
    await page.locator(tid('me')).waitFor();
    return page;
  }

  /** A new page in its own context (its CSP violations collected), signed in with `token` through the login form, on the overview. */
  async function signInAs(token = stack.adminToken): Promise<Page> {
    const context = await browser!.newContext();
    contexts.push({ context, violations: await watchCspViolations(context) });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${stack.dashboardUrl}/login`);
    await submitLogin(page, token);
    await page.waitForURL(`${stack.dashboardUrl}/`);
    return page;
  }

  it('adds a member through the form (a bad URL named by its field first) and the agent sends it real traffic', async () => {
    const [alpha, beta] = backends;
    const { balancerId } = await createBalancer(stack, 'e2e-add', [{ url: alpha.url, name: 'alpha' }], 'byrequests');
    const page = await balancerPage(balancerId, 1);

    await page.locator(tid('add-member')).click();
    const form = page.locator(tid('member-add-form'));
    await form.locator(tid('member-add-url')).fill('ws://user:secret@127.0.0.1:1');
    await form.locator(tid('member-add-name')).fill('beta');
    await form.locator(tid('member-add-weight')).fill('3');
    expect((await clickForResponse(page, tid('member-add-save'), 'POST', /\/members$/)).status()).toBe(400);
    expect(await form.locator(tid('member-add-url-error')).textContent()).toContain('must not contain credentials');
    // What was typed is still there; nothing was written.
    expect(await form.locator(tid('member-add-name')).inputValue()).toBe('beta');
    expect(await form.locator(tid('member-add-weight')).inputValue()).toBe('3');
    expect((await stack.api<MemberBody[]>('GET', `/api/v1/balancers/${balancerId}/members`)).body).toHaveLength(1);

    await form.locator(tid('member-add-url')).fill(beta.url);
    expect((await clickForResponse(page, tid('member-add-preview'), 'POST', /\/members\?dryRun=true$/)).status()).toBe(200);
    const item = form.locator(tid('change-item'));
    expect([await item.getAttribute('data-kind'), await item.getAttribute('data-op')]).toEqual(['member', 'added']);
    expect(await item.textContent()).toContain(`member ${beta.url} in e2e-add: added`);
    expect(await item.textContent()).toContain('weight: 3');
    expect((await clickForResponse(page, tid('member-add-save'), 'POST', /\/members$/)).status()).toBe(201);
    await page.locator(tid('member-row')).nth(1).waitFor();
    expect(await page.locator(tid('change-note')).textContent()).toMatch(/^Member added: beta — configuration revision \d+$/);
    const added = (await stack.api<MemberBody[]>('GET', `/api/v1/balancers/${balancerId}/members`)).body.find((m) => m.name === 'beta');
    expect(added).toMatchObject({ url: beta.url, weight: 3, lbset: 0, state: 'active' });

    // byrequests with weights 1 and 3: the new member serves WebSocket tunnels and HTTP requests through the agent.
    const served = await eventually(
      async () => {
        const t = await openTunnel(wsUrl(stack.agentUrl, '/e2e-add/ws'), 'who serves?');
        tunnels.push(t);
        return t.backend === 'beta' ? t : undefined;
      },
      15_000,
      'a tunnel served by the added member',
    );
    expect(served.backend).toBe('beta');
    const http = await eventually(
      async () => {
        const text = await (await fetch(`${stack.agentUrl}/e2e-add/page`)).text();
        return text.startsWith('beta ') ? text : undefined;
      },
      10_000,
      'an HTTP request served by the added member',
    );
    expect(http).toBe('beta GET /e2e-add/page');
    await eventually(async () => ((await page.locator(`${tid('member-row')}[data-member-id="${added!.id}"] ${tid('open-tunnels')}`).textContent()) !== '0' ? true : undefined), 10_000, 'the row to count its tunnel');
  });

  it('shows an invalid health check timeout next to its field, keeps what was typed, then saves the fixed value', async () => {
    const { balancerId } = await createBalancer(stack, 'e2e-settings', [{ url: backends[0].url, name: 'alpha' }], 'byrequests');
    const page = await balancerPage(balancerId, 1);
    const before = await latestRevision();

    await page.locator(tid('edit-balancer')).click();
    const form = page.locator(tid('balancer-form'));
    expect(await form.locator(tid('field-healthCheck.path')).count()).toBe(0); // no check: no path to edit
    await form.locator(tid('field-healthCheck.type')).selectOption('http');
    await form.locator(tid('field-healthCheck.path')).fill('/health');
    await form.locator(tid('field-healthCheck.intervalMs')).fill('1000');
    await form.locator(tid('field-healthCheck.timeoutMs')).fill('5000');
    expect((await clickForResponse(page, tid('balancer-save'), 'PATCH', new RegExp(`/balancers/${balancerId}$`))).status()).toBe(400);

    const error = form.locator(tid('field-healthCheck.timeoutMs-error'));
    expect(await error.textContent()).toBe('must not exceed intervalMs');
    expect(await form.locator(tid('field-healthCheck.timeoutMs')).getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator(tid('field-healthCheck.intervalMs-error')).count()).toBe(0);
    expect(await form.locator(tid('field-healthCheck.path')).inputValue()).toBe('/health');
    expect(await form.locator(tid('field-healthCheck.timeoutMs')).inputValue()).toBe('5000');
    expect((await stack.api<BalancerBody>('GET', `/api/v1/balancers/${balancerId}`)).body.healthCheck.type).toBe('none');
    expect(await latestRevision()).toBe(before);

    await form.locator(tid('field-healthCheck.timeoutMs')).fill('500');
    expect((await clickForResponse(page, tid('balancer-save'), 'PATCH', new RegExp(`/balancers/${balancerId}$`))).status()).toBe(200);
    await form.waitFor({ state: 'detached' });
    expect(await page.locator(tid('setting-health-check')).textContent()).toBe('http GET /health → 200 · every 1 s, timeout 500 ms · up after 2, down after 3');
    expect((await stack.api<BalancerBody>('GET', `/api/v1/balancers/${balancerId}`)).body.healthCheck).toMatchObject({ type: 'http', path: '/health', intervalMs: 1000, timeoutMs: 500 });
    expect(await latestRevision()).toBe(before + 1);
  });

  it('previews a settings change and a member change as dry runs that write nothing, then saves each as one revision (and nothing when the configuration moved on since the preview)', async () => {
    const { balancerId, memberIds } = await createBalancer(stack, 'e2e-preview', [{ url: backends[0].url, name: 'alpha' }], 'byrequests');
    const page = await balancerPage(balancerId, 1);
    const before = await latestRevision();

    await page.locator(tid('edit-balancer')).click();
    const form = page.locator(tid('balancer-form'));
    await form.locator(tid('field-lbMethod')).selectOption('p2c');
    await form.locator(tid('field-timeouts.connectMs')).fill('5000');
    expect((await clickForResponse(page, tid('balancer-preview'), 'PATCH', /dryRun=true$/)).status()).toBe(200);
    const preview = form.locator(tid('change-preview'));
    expect(await preview.locator(tid('change-summary')).textContent()).toBe(`1 change against revision ${before}`);
    const item = preview.locator(tid('change-item'));
    expect(await item.getAttribute('data-op')).toBe('changed');
    const itemText = await item.textContent();
    expect(itemText).toContain('balancer e2e-preview: changed');
    expect(itemText).toContain('lbMethod: "byrequests" → "p2c"');
    expect(itemText).toContain('timeouts.connectMs: 3000 → 5000');
    const diff = await preview.locator(tid('diff-text')).textContent();
    expect(diff).toMatch(/^-\s+lbMethod: byrequests$/m);
    expect(diff).toMatch(/^\+\s+lbMethod: p2c$/m);
    // A dry run: no revision, nothing changed.
    expect(await latestRevision()).toBe(before);
    expect((await stack.api<BalancerBody>('GET', `/api/v1/balancers/${balancerId}`)).body).toMatchObject({ lbMethod: 'byrequests', timeouts: { connectMs: 3000 } });

    // Typing drops the preview (it no longer shows what Save would do); preview again, then save.
    await form.locator(tid('field-timeouts.connectMs')).fill('4000');
    await preview.waitFor({ state: 'detached' });
    expect((await clickForResponse(page, tid('balancer-preview'), 'PATCH', /dryRun=true$/)).status()).toBe(200);
    expect(await form.locator(tid('change-item')).textContent()).toContain('timeouts.connectMs: 3000 → 4000');
    expect((await clickForResponse(page, tid('balancer-save'), 'PATCH', new RegExp(`/balancers/${balancerId}$`))).status()).toBe(200);
    await form.waitFor({ state: 'detached' });
    expect(await latestRevision()).toBe(before + 1);
    expect((await stack.api<BalancerBody>('GET', `/api/v1/balancers/${balancerId}`)).body).toMatchObject({ lbMethod: 'p2c', timeouts: { connectMs: 4000 } });
    expect(await page.locator(tid('setting-lbmethod')).textContent()).toBe('p2c');

    // A member edit: preview names the member and its fields, save applies exactly that.
    const row = page.locator(`${tid('member-row')}[data-member-id="${memberIds.alpha}"]`);
    await row.locator(tid('edit-member')).click();
    const memberForm = page.locator(`${tid('member-panel')}[data-member-id="${memberIds.alpha}"] ${tid('member-edit-form')}`);
    await memberForm.locator(tid('member-edit-weight')).fill('5');
    await memberForm.locator(tid('member-edit-lbset')).fill('2');
    expect((await clickForResponse(page, tid('member-edit-preview'), 'PATCH', /dryRun=true$/)).status()).toBe(200);
    const memberItem = memberForm.locator(tid('change-item'));
    expect(await memberItem.getAttribute('data-kind')).toBe('member');
    expect(await memberItem.textContent()).toContain(`member ${backends[0].url} in e2e-preview: changed`);
    expect(await memberItem.textContent()).toContain('weight: 1 → 5');
    expect(await memberItem.textContent()).toContain('lbset: 0 → 2');
    expect(await latestRevision()).toBe(before + 1);
    expect((await clickForResponse(page, tid('member-edit-save'), 'PATCH', new RegExp(`/members/${memberIds.alpha}$`))).status()).toBe(200);
    await memberForm.waitFor({ state: 'detached' });
    expect(await latestRevision()).toBe(before + 2);
    expect((await stack.api<MemberBody>('GET', `/api/v1/balancers/${balancerId}/members/${memberIds.alpha}`)).body).toMatchObject({ weight: 5, lbset: 2 });
    expect(await row.locator(tid('lbset')).textContent()).toBe('2');

    // Save is bound to the previewed revision: a write in between makes it save nothing and ask for a new preview.
    await page.locator(tid('edit-balancer')).click();
    await form.locator(tid('field-slowStartMs')).fill('30000');
    expect((await clickForResponse(page, tid('balancer-preview'), 'PATCH', /dryRun=true$/)).status()).toBe(200);
    expect((await stack.api('PATCH', `/api/v1/balancers/${balancerId}/members/${memberIds.alpha}`, { weight: 6 })).status).toBe(200);
    expect((await clickForResponse(page, tid('balancer-save'), 'PATCH', new RegExp(`/balancers/${balancerId}$`))).status()).toBe(412);
    expect(await form.locator(tid('balancer-error')).textContent()).toContain('The configuration changed after this preview, so nothing was saved');
    expect(await form.locator(tid('change-preview')).count()).toBe(0);
    expect((await stack.api<{ slowStartMs: number }>('GET', `/api/v1/balancers/${balancerId}`)).body.slowStartMs).toBe(0);
    expect(await form.locator(tid('field-slowStartMs')).inputValue()).toBe('30000');
    expect((await clickForResponse(page, tid('balancer-preview'), 'PATCH', /dryRun=true$/)).status()).toBe(200);
    expect((await clickForResponse(page, tid('balancer-save'), 'PATCH', new RegExp(`/balancers/${balancerId}$`))).status()).toBe(200);
    expect((await stack.api<{ slowStartMs: number }>('GET', `/api/v1/balancers/${balancerId}`)).body.slowStartMs).toBe(30000);
  });

  it('creates a balancer from the overview (a bad name named first), and deletes it once no route uses it (409 shown until then)', async () => {
    const page = await signInAs();
    await page.locator(tid('new-balancer')).click();
    const form = page.locator(tid('balancer-form'));
    await form.locator(tid('field-name')).fill('Not A Name');
    await form.locator(tid('field-lbMethod')).selectOption('bybusyness');
    expect((await clickForResponse(page, tid('balancer-save'), 'POST', /\/balancers$/)).status()).toBe(400);
    expect(await form.locator(tid('field-name-error')).textContent()).toContain('[a-z0-9-]{1,63}');
    expect(await form.locator(tid('field-lbMethod')).inputValue()).toBe('bybusyness');

    await form.locator(tid('field-name')).fill('e2e-created');
    expect((await clickForResponse(page, tid('balancer-save'), 'POST', /\/balancers$/)).status()).toBe(201);
    await page.waitForURL(/\/balancers\/[^/]+$/);
    const balancerId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await expect.poll(() => page.locator(tid('balancer-name')).textContent()).toBe('e2e-created');
    expect((await stack.api<BalancerBody>('GET', `/api/v1/balancers/${balancerId}`)).body).toMatchObject({ name: 'e2e-created', lbMethod: 'bybusyness' });

    const route = await stack.api<{ id: string }>('POST', '/api/v1/routes', { balancerId, match: { type: 'prefix', path: '/e2e-created' } });
    expect(route.status).toBe(201);
    await page.locator(tid('delete-balancer')).click();
    const confirm = page.locator(tid('delete-balancer-confirm'));
    expect(await confirm.textContent()).toContain('Delete balancer e2e-created and its 0 members?');
    expect((await clickForResponse(page, tid('delete-balancer-save'), 'DELETE', new RegExp(`/balancers/${balancerId}$`))).status()).toBe(409);
    expect(await confirm.locator(tid('delete-balancer-error')).textContent()).toContain('balancer e2e-created is used by 1 route(s)');
    expect((await stack.api('GET', `/api/v1/balancers/${balancerId}`)).status).toBe(200);

    expect((await stack.api('DELETE', `/api/v1/routes/${route.body.id}`)).status).toBe(200);
    expect((await clickForResponse(page, tid('delete-balancer-preview'), 'DELETE', /dryRun=true$/)).status()).toBe(200);
    expect(await confirm.locator(tid('change-item')).textContent()).toContain('balancer e2e-created: removed');
    expect((await stack.api('GET', `/api/v1/balancers/${balancerId}`)).status).toBe(200);
    expect((await clickForResponse(page, tid('delete-balancer-save'), 'DELETE', new RegExp(`/balancers/${balancerId}$`))).status()).toBe(200);
    await page.waitForURL(`${stack.dashboardUrl}/`);
    expect((await stack.api('GET', `/api/v1/balancers/${balancerId}`)).status).toBe(404);
  });

  it('removes a member after a confirmation that names it and its open tunnels', async () => {
    const [alpha, beta] = backends;
    const { balancerId, memberIds } = await createBalancer(
      stack,
      'e2e-remove',
      [
        { url: alpha.url, name: 'alpha' },
        { url: beta.url, name: 'beta', state: 'disabled' },
      ],
      'byrequests',
    );
    tunnels.push(await openTunnel(wsUrl(stack.agentUrl, '/e2e-remove/ws'), 'stay'));
    const page = await balancerPage(balancerId, 2);
    const row = page.locator(`${tid('member-row')}[data-member-id="${memberIds.alpha}"]`);
    await expect.poll(() => row.locator(tid('open-tunnels')).textContent(), { timeout: 15_000 }).toBe('1');

    await row.locator(tid('remove-member')).click();
    const confirm = page.locator(tid('remove-member-confirm'));
    expect(await confirm.textContent()).toContain(`Remove member alpha ${alpha.url} from this balancer? It has 1 open tunnel`);
    expect((await clickForResponse(page, tid('remove-member-save'), 'DELETE', new RegExp(`/members/${memberIds.alpha}$`))).status()).toBe(200);
    await row.waitFor({ state: 'detached' });
    expect(await page.locator(tid('member-row')).count()).toBe(1);
    expect((await stack.api<MemberBody[]>('GET', `/api/v1/balancers/${balancerId}/members`)).body.map((m) => m.name)).toEqual(['beta']);
  });

  it('offers a viewer nothing to edit, and an operator member state and weight only', async () => {
    const { balancerId, memberIds } = await createBalancer(stack, 'e2e-roles', [{ url: backends[0].url, name: 'alpha' }], 'byrequests');
    const tokens: Record<string, string> = {};
    for (const role of ['viewer', 'operator']) {
      const res = await stack.api<{ token: string }>('POST', '/api/v1/tokens', { name: `e2e-${role}`, role });
      expect(res.status).toBe(201);
      tokens[role] = res.body.token;
    }
    const editControls = ['edit-balancer', 'delete-balancer', 'add-member', 'remove-member', 'edit-member', 'drain', 'disable', 'enable', 'weight-input', 'rebalance'];
    const present = async (page: Page) => (await Promise.all(editControls.map(async (id) => ((await page.locator(tid(id)).count()) > 0 ? id : null)))).filter(Boolean);

    const viewer = await balancerPage(balancerId, 1, tokens.viewer);
    expect(await viewer.locator(tid('me')).textContent()).toContain('viewer');
    expect(await present(viewer)).toEqual([]);
    expect(await viewer.locator('input, select, textarea').count()).toBe(0);
    expect(await viewer.locator(tid('last-rebalance')).textContent()).toBe('never');
    await viewer.goto(`${stack.dashboardUrl}/`);
    await viewer.locator(tid('balancer-row')).first().waitFor();
    expect(await viewer.locator(tid('new-balancer')).count()).toBe(0);

    const operator = await balancerPage(balancerId, 1, tokens.operator);
    expect(await present(operator)).toEqual(['edit-member', 'drain', 'disable', 'enable', 'weight-input', 'rebalance']);
    await operator.locator(tid('edit-member')).click();
    const form = operator.locator(tid('member-edit-form'));
    expect(await form.locator('input, select').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(['member-edit-weight', 'member-edit-state']);
    await form.locator(tid('member-edit-state')).selectOption('standby');
    expect((await clickForResponse(operator, tid('member-edit-save'), 'PATCH', new RegExp(`/members/${memberIds.alpha}$`))).status()).toBe(200);
    await form.waitFor({ state: 'detached' });
    expect((await stack.api<MemberBody>('GET', `/api/v1/balancers/${balancerId}/members/${memberIds.alpha}`)).body.state).toBe('standby');
  });
});
