import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestPki } from '../apps/agent/src/testing/certs';
import { connect, wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { eventually, startNode } from './support/processes';
import { freePort, startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

// Issue 7 item 6: the control plane serves HTTPS and WSS itself (SWITCHBOARD_TLS_CERT_FILE /
// _KEY_FILE) on its one port — REST API, OpenAPI, metrics, health and the agent channel — and a
// real agent process dials it over wss, trusting the private CA of SWITCHBOARD_CONTROL_CA_FILE,
// then serves traffic with what it received. The dashboard's forwarder reaches the https API
// trusting the CA through NODE_EXTRA_CA_CERTS.

const AGENT = 'dist/agent/apps/agent/src/main.js';
const CONTROL_PLANE = 'dist/control-plane/apps/control-plane/src/main.js';

describe('control plane serving TLS', () => {
  let pki: TestPki;
  let stack: Stack;
  let backend: EchoBackend;
  let revision: number;

  beforeAll(async () => {
    pki = new TestPki();
    const certificate = pki.issue('control-plane', ['127.0.0.1']);
    stack = await startStack({ dashboard: true, tls: { certFile: certificate.certFile, keyFile: certificate.keyFile, caFile: pki.ca.certFile } });
    backend = await startEchoBackend('tls-b1');
    ({ revision } = await createBalancer(stack, 'chat', [{ url: backend.url, name: 'b1' }]));
  });

  afterAll(async () => {
    await stack?.stop();
    await backend?.close();
    pki?.remove();
  });

  it('answers the API, OpenAPI, metrics and health over https, and nothing in clear', async () => {
    expect(stack.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect((await stack.api('GET', '/api/v1/balancers')).status).toBe(200);
    const openapi = await stack.api<{ openapi: string }>('GET', '/api/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.openapi).toMatch(/^3\./);
    expect(await stack.api<string>('GET', '/metrics')).toMatchObject({ status: 200, body: expect.stringContaining('switchboard_agents_connected 1') as unknown });
    expect((await stack.api('GET', '/healthz')).status).toBe(200);
    const plain = stack.apiUrl.replace('https:', 'http:');
    await expect(fetch(`${plain}/healthz`)).rejects.toThrow();
  });

  it('a real agent process connects over wss, applies the latest revision and serves traffic', async () => {
    await agentAtRevision(stack.agentAdminUrl, revision);
    const agents = await stack.api<{ name: string; online: boolean; appliedRevision: number }[]>('GET', '/api/v1/agents');
    expect(agents.body).toEqual([expect.objectContaining({ name: 'agent-1', online: true, appliedRevision: revision })]);
    const client = await connect(wsUrl(stack.agentUrl, '/chat'));
    expect(await client.roundTrip('over tls')).toBe('tls-b1: over tls');
    client.close();
    expect(await (await fetch(`${stack.agentUrl}/chat/x`)).text()).toBe('tls-b1 GET /chat/x');
  });

  it('the dashboard forwards to an https SWITCHBOARD_API_URL, trusting NODE_EXTRA_CA_CERTS', async () => {
    const direct = await stack.api('GET', '/api/v1/balancers');
    // The dashboard forwards with the session cookie's token (a browser-sent Authorization is dropped).
    const res = await fetch(`${stack.dashboardUrl}/api/v1/balancers`, { headers: { cookie: `switchboard_session=${stack.adminToken}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(direct.body);
  });

  it('an agent without SWITCHBOARD_CONTROL_CA_FILE refuses the certificate, says so, retries, and is never online', async () => {
    const token = (await stack.api<{ token: string }>('POST', '/api/v1/agent-tokens', { name: 'no-ca' })).body.token;
    const { proc } = await startNode('agent-no-ca', [AGENT], {
      SWITCHBOARD_CONTROL_URL: stack.apiUrl.replace('https:', 'wss:'),
      SWITCHBOARD_AGENT_TOKEN: token,
      SWITCHBOARD_AGENT_NAME: 'no-ca',
      SWITCHBOARD_LISTEN: '127.0.0.1:0',
      SWITCHBOARD_ADMIN_LISTEN: '127.0.0.1:0',
      SWITCHBOARD_CACHE_DIR: `${pki.dir}/no-ca-cache`,
    });
    try {
      const refusals = () => proc.output.filter((line) => line.includes('control plane certificate refused'));
      await eventually(() => refusals().length >= 2, 30_000, 'two refused handshakes');
      expect(JSON.parse(refusals()[0]!)).toMatchObject({ level: 50, code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      expect(proc.child.exitCode).toBeNull();
      const agents = await stack.api<{ name: string }[]>('GET', '/api/v1/agents');
      expect(agents.body.map((agent) => agent.name)).toEqual(['agent-1']);
    } finally {
      await proc.stop();
    }
  });

  it('refuses to start with a key that is not the certificate’s, naming SWITCHBOARD_TLS_KEY_FILE', async () => {
    const certificate = pki.issue('mismatch-a', ['127.0.0.1']);
    const other = pki.issue('mismatch-b', ['127.0.0.1']);
    const env = { SWITCHBOARD_CONTROL_PORT: String(await freePort()), SWITCHBOARD_TLS_CERT_FILE: certificate.certFile, SWITCHBOARD_TLS_KEY_FILE: other.keyFile };
    await expect(startNode('control-plane-mismatch', [CONTROL_PLANE], env)).rejects.toThrow(
      new RegExp(`exited \\(1\\)[\\s\\S]*SWITCHBOARD_TLS_KEY_FILE: ${other.keyFile} is not the key of the certificate in SWITCHBOARD_TLS_CERT_FILE`),
    );
  });
});
