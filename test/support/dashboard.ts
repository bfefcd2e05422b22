import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import WebSocket from 'ws';
import type { Stack } from './stack';

/** Clicks `selector` and answers the API response it causes: the first `method` request whose path and query match `path`. */
export async function clickForResponse(page: Page, selector: string, method: string, path: RegExp): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === method && path.test(new URL(r.url()).pathname + new URL(r.url()).search)), page.locator(selector).click()]);
  return response;
}

/** A new page signed in through the login form as the stack's admin, on the overview. */
export async function signedInPage(browser: Browser, stack: Stack, timeoutMs = 15_000): Promise<Page> {
  const page = await browser.newPage();
  page.setDefaultTimeout(timeoutMs);
  await page.goto(`${stack.dashboardUrl}/login`);
  await submitLogin(page, stack.adminToken);
  await page.waitForURL(`${stack.dashboardUrl}/`);
  return page;
}

/** Fills the login form of the page (already on /login) with `token` and submits it. */
export async function submitLogin(page: Page, token: string): Promise<void> {
  await page.locator('[data-testid="token"]').fill(token);
  await page.locator('[data-testid="login"]').click();
}

/**
 * Collects the Content-Security-Policy violations of every page of `context` from now on:
 * `securitypolicyviolation` events (recorded by an init script, which CSP does not govern)
 * and Chromium's console reports ("Refused to … because it violates …").
 */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const seen: string[] = [];
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => void seen.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation;
      void report(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.documentURI}`);
    });
  });
  const onPage = (page: Page) =>
    page.on('console', (msg) => {
      if (/Content Security Policy/i.test(msg.text())) seen.push(`console: ${msg.text()}`);
    });
  context.pages().forEach(onPage);
  context.on('page', onPage);
  return seen;
}

/** Sum of the open-tunnels cells of the member table equals `n` within `timeoutMs`. */
export async function waitForTunnelSum(page: Page, n: number, timeoutMs: number): Promise<void> {
  try {
    await page.waitForFunction(
      (expected) => {
        const cells = [...document.querySelectorAll('[data-testid="member-row"] [data-testid="open-tunnels"]')];
        return cells.length > 0 && cells.reduce((sum, c) => sum + (Number(c.textContent) || 0), 0) === expected;
      },
      n,
      { timeout: timeoutMs, polling: 100 },
    );
  } catch (err) {
    const seen = await page.locator('[data-testid="open-tunnels"]').allTextContents();
    throw new Error(`open tunnels never summed to ${n} within ${timeoutMs} ms (last seen: ${seen.join(', ')})`, { cause: err });
  }
}

/** An open tunnel through the agent and the backend that echoed (echo backends answer `<name>: <text>`). */
export interface Tunnel {
  ws: WebSocket;
  backend: string;
}

/**
 * Opens a WebSocket and waits for the echo of `text`. Retries for a while, since the agent may
 * not have applied the revision with the new route yet (it answers 404 until then).
 */
export async function openTunnel(url: string, text: string, timeoutMs = 10_000): Promise<Tunnel> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await echoOnce(url, text);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function echoOnce(url: string, text: string): Promise<Tunnel> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: 3_000 });
    ws.on('error', () => undefined); // late errors (after the test is done with it) are not failures
    const fail = (err: Error) => {
      ws.terminate();
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`no echo from ${url}`)), 3_000);
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      fail(new Error(`upgrade answered ${String(res.statusCode)}`));
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    ws.once('open', () => ws.send(text));
    ws.once('message', (data: Buffer) => {
      clearTimeout(timer);
      const reply = data.toString();
      if (reply.endsWith(`: ${text}`)) resolve({ ws, backend: reply.slice(0, reply.indexOf(':')) });
      else fail(new Error(`unexpected echo ${reply}`));
    });
  });
}
