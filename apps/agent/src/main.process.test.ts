import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCacheDir } from './testing/agent-harness';
import { buildAgent, runAgent } from './testing/agent-process';
import { startBackends } from './testing/backends';
import { TestPki } from './testing/certs';
import type { Backend } from './testing/backends';
import { closeWebSocket, openWebSocket, roundTrip } from './testing/clients';
import { FakeControlPlane } from './testing/control-plane';
import { member, singleBalancer, snapshotOf } from './testing/fixtures';
import { waitFor } from './testing/wait';

let mainJs: string;
let cleanup: () => Promise<void> = () => Promise.resolve();

afterAll(() => cleanup());

beforeAll(async () => {
  ({ mainJs, cleanup } = await buildAgent());
});

const run = (env: Record<string, string>) => runAgent(mainJs, env);

describe('the agent process', () => {
  let controlPlane: FakeControlPlane;
  let backends: Backend[];

  beforeAll(async () => {
    controlPlane = await new FakeControlPlane().start();
    backends = await startBackends(1);
    controlPlane.snapshot = snapshotOf(2, singleBalancer([member('m1', backends[0]!.url())]));
  });

  afterAll(async () => {
    await controlPlane.close();
    await backends[0]!.close();
  });

  it('refuses to start with a bad environment, naming the variables', async () => {
    const { child, lines } = run({ SWITCHBOARD_CONTROL_URL: 'nope', SWITCHBOARD_LISTEN: '99999' });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(lines[0]).toMatchObject({ level: 60 });
    expect(lines[0]!.msg).toMatch(/^invalid environment: SWITCHBOARD_CONTROL_URL: .*SWITCHBOARD_AGENT_TOKEN: is required.*SWITCHBOARD_LISTEN: /);
  });

  it('refuses ws:// to a non-loopback host unless SWITCHBOARD_ALLOW_INSECURE_CONTROL=1, which it warns about', async () => {
    const env = { SWITCHBOARD_CONTROL_URL: 'ws://10.1.2.3:4000', SWITCHBOARD_AGENT_TOKEN: 'agent-token', SWITCHBOARD_LISTEN: '127.0.0.1:0', SWITCHBOARD_ADMIN_LISTEN: '127.0.0.1:0', SWITCHBOARD_CACHE_DIR: await tempCacheDir() };
    const refused = run(env);
    const [code] = (await once(refused.child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(refused.lines[0]).toMatchObject({ level: 60 });
    expect(refused.lines[0]!.msg).toBe(
      'invalid environment: SWITCHBOARD_CONTROL_URL: ws://10.1.2.3:4000/agents/connect is neither encrypted nor loopback: the agent token would cross the network in clear; use wss:// (SWITCHBOARD_CONTROL_CA_FILE for a private CA), or set SWITCHBOARD_ALLOW_INSECURE_CONTROL=1 on a network you trust',
    );

    const allowed = run({ ...env, SWITCHBOARD_ALLOW_INSECURE_CONTROL: '1' });
    await waitFor(() => allowed.lines.find((line) => line.msg === 'listening'), 'the listening line');
    expect(allowed.lines.find((line) => line.msg.startsWith('control channel is not encrypted'))).toMatchObject({ level: 40, url: 'ws://10.1.2.3:4000/agents/connect' });
    allowed.child.kill('SIGTERM');
    expect(((await once(allowed.child, 'exit')) as [number])[0]).toBe(0);
  });

  it('refuses an admin port beyond loopback without SWITCHBOARD_ADMIN_TOKEN_FILE', async () => {
    const { child, lines } = run({ SWITCHBOARD_CONTROL_URL: controlPlane.url, SWITCHBOARD_AGENT_TOKEN: 'agent-token', SWITCHBOARD_ADMIN_LISTEN: '0.0.0.0:0' });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(lines[0]!.msg).toBe('invalid environment: SWITCHBOARD_ADMIN_TOKEN_FILE: is required when SWITCHBOARD_ADMIN_LISTEN is not loopback (0.0.0.0 port 0): /config shows member URLs to anyone who can reach the port');
  });

  it('prints the bound ports, proxies, and on SIGTERM closes an open tunnel with 1001 and exits promptly', async () => {
    const { child, lines } = run({
      SWITCHBOARD_CONTROL_URL: controlPlane.url,
      SWITCHBOARD_AGENT_TOKEN: 'agent-token',
      SWITCHBOARD_LISTEN: '127.0.0.1:0',
      SWITCHBOARD_ADMIN_LISTEN: '127.0.0.1:0',
      SWITCHBOARD_CACHE_DIR: await tempCacheDir(),
    });
    const listening = await waitFor(() => lines.find((line) => line.msg === 'listening'), 'the listening line');
    expect(listening).toMatchObject({ level: 30, port: expect.any(Number) as unknown, adminPort: expect.any(Number) as unknown });
    await controlPlane.next('ack', (ack) => ack.revision === 2);
    const ws = await openWebSocket(`ws://127.0.0.1:${listening['port'] as number}/`);
    expect((await roundTrip(ws, 'hi')).toString()).toBe('hi');
    const health = await fetch(`http://127.0.0.1:${listening['adminPort'] as number}/healthz`);
    expect(health.status).toBe(200);

    const closeCode = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    const started = Date.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(lines.some((line) => line.msg === 'shutting down')).toBe(true);
    await waitFor(() => ws.readyState === ws.CLOSED, 'the tunnel to be closed');
    expect(await closeCode).toBe(1001);
  });

  describe('with TLS', () => {
    let pki: TestPki;
    beforeAll(() => {
      pki = new TestPki();
    });
    afterAll(() => pki.remove());

    it('refuses to start with a bad TLS environment, naming the variables and the cause', async () => {
      const missing = join(pki.dir, 'missing.crt');
      const { child, lines } = run({ SWITCHBOARD_CONTROL_URL: controlPlane.url, SWITCHBOARD_AGENT_TOKEN: 't', SWITCHBOARD_TLS_PORT: '0', SWITCHBOARD_TLS_CERT_FILE: missing });
      const [code] = (await once(child, 'exit')) as [number];
      expect(code).toBe(1);
      expect(lines[0]).toMatchObject({ level: 60 });
      expect(lines[0]!.msg).toBe(
        `invalid environment: SWITCHBOARD_TLS_CERT_FILE: cannot be read (ENOENT: no such file or directory, open '${missing}'); SWITCHBOARD_TLS_KEY_FILE: is required when SWITCHBOARD_TLS_PORT is set`,
      );
    });

    it('serves wss on SWITCHBOARD_TLS_PORT, printing it, and reloads the certificate on SIGHUP', async () => {
      const listener = pki.issue('listener', ['127.0.0.1']);
      const from = controlPlane.messages.length;
      const { child, lines } = run({
        SWITCHBOARD_CONTROL_URL: controlPlane.url,
        SWITCHBOARD_AGENT_TOKEN: 'agent-token',
        SWITCHBOARD_LISTEN: '127.0.0.1:0',
        SWITCHBOARD_ADMIN_LISTEN: '127.0.0.1:0',
        SWITCHBOARD_TLS_PORT: '0',
        SWITCHBOARD_TLS_CERT_FILE: listener.certFile,
        SWITCHBOARD_TLS_KEY_FILE: listener.keyFile,
        SWITCHBOARD_CACHE_DIR: await tempCacheDir(),
      });
      const listening = await waitFor(() => lines.find((line) => line.msg === 'listening'), 'the listening line');
      expect(listening).toMatchObject({ tlsPort: expect.any(Number) as unknown, tlsHost: '127.0.0.1' });
      expect(listening['tlsPort']).not.toBe(listening['port']);
      await controlPlane.next('ack', (ack) => ack.revision === 2, from);
      const ws = await openWebSocket(`wss://127.0.0.1:${listening['tlsPort'] as number}/`, { ca: pki.ca.cert });
      expect((await roundTrip(ws, 'secure')).toString()).toBe('secure');

      child.kill('SIGHUP');
      await waitFor(() => lines.find((line) => line.msg === 'TLS certificate reloaded'), 'the reload line');
      expect((await roundTrip(ws, 'still open')).toString()).toBe('still open');
      await closeWebSocket(ws);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number];
      expect(code).toBe(0);
    });
  });
});
