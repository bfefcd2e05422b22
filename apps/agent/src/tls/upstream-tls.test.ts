import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_UPSTREAM_TLS } from '@switchboard/protocol';
import type { SnapshotMember } from '@switchboard/protocol';
import { Backend } from '../testing/backends';
import type { EchoedRequest } from '../testing/backends';
import { TestPki } from '../testing/certs';
import type { TestCertificate } from '../testing/certs';
import { closeWebSocket, openWebSocket, rawExchange, roundTrip } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';

const stack = useStack(0);
let pki: TestPki;
let trusted: TestCertificate;
let selfSigned: TestCertificate;
let otherName: TestCertificate;
const tlsBackends: Backend[] = [];

beforeAll(() => {
  pki = new TestPki();
  trusted = pki.issue('member', ['localhost', '127.0.0.1']);
  selfSigned = pki.selfSigned('self-signed', ['localhost', '127.0.0.1']);
  otherName = pki.issue('internal', ['backend.internal']);
});
afterAll(() => pki.remove());
afterEach(async () => {
  await Promise.all(tlsBackends.map((backend) => backend.close()));
  tlsBackends.length = 0;
});

/** A WSS/HTTPS echo member presenting `certificate`. */
async function tlsBackend(name: string, certificate: TestCertificate): Promise<Backend> {
  const backend = await new Backend(name, certificate).start();
  tlsBackends.push(backend);
  return backend;
}

/** Starts the agent, trusting the test CA for members (SWITCHBOARD_UPSTREAM_CA_FILE) unless `caFile` is null. */
async function startAgent(caFile: string | null = pki.ca.certFile): Promise<void> {
  await stack.start({ env: caFile ? { SWITCHBOARD_UPSTREAM_CA_FILE: caFile } : {} });
}

/** Serves `members` in balancer b1 under the given upstream TLS settings. */
async function serve(members: SnapshotMember[], tls = DEFAULT_UPSTREAM_TLS): Promise<void> {
  await stack.serve(singleBalancer(members, { tls }));
}

/** The agent's raw answer to a WebSocket upgrade on its plain port. */
function upgrade(): Promise<string> {
  return rawExchange(stack.agent.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
}

describe('TLS to members, with SWITCHBOARD_UPSTREAM_CA_FILE', () => {
  beforeEach(() => startAgent());

  it('verifies wss and https members against the CA file', async () => {
    const backend = await tlsBackend('t1', trusted);
    await serve([member('ws', backend.url('wss'))]);
    const ws = await openWebSocket(stack.agent.ws('/chat'));
    expect((await roundTrip(ws, 'over tls')).toString()).toBe('over tls');
    await closeWebSocket(ws);
    await serve([member('http', backend.url('https'))]);
    const res = await fetch(stack.agent.http('/api'));
    expect(res.status).toBe(200);
    expect(((await res.json()) as EchoedRequest).url).toBe('/api');
    expect(stack.counters('http')).toMatchObject({ health: 'up', failures: 0 });
  });

  it('refuses a self-signed member with 503 naming the cause, for upgrades and requests', async () => {
    const backend = await tlsBackend('t1', selfSigned);
    await serve([member('m1', backend.url('wss'))]);
    expect(await upgrade()).toMatch(/last error: DEPTH_ZERO_SELF_SIGNED_CERT \(self-signed certificate\)\)$/);
    await serve([member('m1', backend.url('https'))]);
    const res = await fetch(stack.agent.http('/'));
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('no member of balancer b1 could be reached (1 tried, last error: DEPTH_ZERO_SELF_SIGNED_CERT (self-signed certificate))');
    expect(backend.upgrades).toHaveLength(0);
  });

  it('fails over from a member whose certificate is refused', async () => {
    const bad = await tlsBackend('bad', selfSigned);
    const good = await tlsBackend('good', trusted);
    await serve([member('bad', bad.url('https')), member('good', good.url('https'))]);
    for (let i = 0; i < 3; i++) expect((await fetch(stack.agent.http('/'))).headers.get('x-backend')).toBe('good');
    expect(stack.counters('bad')).toMatchObject({ health: 'down' });
    expect(stack.counters('bad').failures).toBeGreaterThanOrEqual(1);
  });

  it('sends and checks tls.serverName instead of the member host', async () => {
    const backend = await tlsBackend('t1', otherName);
    await serve([member('m1', backend.url('https'))]);
    const refused = await fetch(stack.agent.http('/'));
    expect(await refused.text()).toMatch(/last error: ERR_TLS_CERT_ALTNAME_INVALID \(Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list: \)\)$/);
    await serve([member('m1', backend.url('https')), member('m2', backend.url('wss'))], { insecureSkipVerify: false, serverName: 'backend.internal' });
    expect((await fetch(stack.agent.http('/'))).status).toBe(200);
    const ws = await openWebSocket(stack.agent.ws());
    await closeWebSocket(ws);
    expect(backend.servernames).toEqual(['backend.internal', 'backend.internal']);
  });

  it("sends the member's host name as SNI (none for an IP address), never the client's Host", async () => {
    const backend = await tlsBackend('t1', trusted);
    const fromApp = () => rawExchange(stack.agent.port, 'GET / HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n');
    await serve([member('m1', backend.url('https', 'localhost')), member('m2', backend.url('wss', 'localhost'))]);
    expect(await fromApp()).toMatch(/^HTTP\/1\.1 200 /);
    await closeWebSocket(await openWebSocket(stack.agent.ws(), { headers: { host: 'app.example.com' } }));
    await serve([member('m3', backend.url('https', '127.0.0.1'))]);
    expect(await fromApp()).toMatch(/^HTTP\/1\.1 200 /);
    expect(backend.servernames).toEqual(['localhost', 'localhost', '']);
    expect(backend.upgrades[0]!.headers.host).toBe('app.example.com');
  });
});

describe('TLS to members, without SWITCHBOARD_UPSTREAM_CA_FILE', () => {
  it('refuses a member signed by a CA it was not given', async () => {
    const backend = await tlsBackend('t1', trusted);
    await startAgent(null);
    await serve([member('m1', backend.url('wss'))]);
    expect(await upgrade()).toMatch(/^HTTP\/1\.1 503 [^]*last error: UNABLE_TO_VERIFY_LEAF_SIGNATURE \(unable to verify the first certificate\)\)$/);
    expect(stack.counters('m1')).toMatchObject({ health: 'down', failures: 1, openTunnels: 0 });
  });

  it('accepts any certificate with insecureSkipVerify, warning once per snapshot', async () => {
    const backend = await tlsBackend('t1', selfSigned);
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    await stack.start({ logger: pino({ level: 'warn' }, sink) });
    await serve([member('m1', backend.url('wss')), member('m2', backend.url('https'))], { insecureSkipVerify: true, serverName: null });
    const ws = await openWebSocket(stack.agent.ws());
    expect((await roundTrip(ws, 'unchecked')).toString()).toBe('unchecked');
    await closeWebSocket(ws);
    expect((await fetch(stack.agent.http('/'))).status).toBe(200);
    const warnings = lines.map((line) => JSON.parse(line) as { balancer?: string; members?: string[]; msg: string }).filter((line) => line.balancer === 'b1');
    expect(warnings).toEqual([expect.objectContaining({ members: ['m1', 'm2'], msg: 'balancer b1: member certificates are not verified (tls.insecureSkipVerify)' })]);
  });
});
