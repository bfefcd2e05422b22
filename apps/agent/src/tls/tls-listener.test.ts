import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync } from 'node:fs';
import { connect } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EchoedRequest } from '../testing/backends';
import { useListenerPki } from '../testing/listener-pki';
import { closeWebSocket, fetchTls, openWebSocket, openWebSocketWithHeaders, roundTrip } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';

const stack = useStack(1);
const certs = useListenerPki();

/** The certificate the agent's TLS listener presents to a new connection. */
async function presentedCertificate(port: number, ca: Buffer): Promise<PeerCertificate> {
  const socket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
  await once(socket, 'secureConnect');
  const certificate = socket.getPeerCertificate();
  socket.destroy();
  return certificate;
}

describe('the TLS listener', () => {
  beforeEach(async () => {
    await stack.start({ env: { SWITCHBOARD_TLS_PORT: '0', SWITCHBOARD_TLS_CERT_FILE: certs.listener.certFile, SWITCHBOARD_TLS_KEY_FILE: certs.listener.keyFile } });
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
  });

  it('tunnels wss to a ws member byte for byte, saying https in the forwarding headers', async () => {
    const { ws } = await openWebSocketWithHeaders(stack.agent.https('/chat', true), { ca: certs.pki.ca.cert });
    const binary = randomBytes(1_000_000);
    expect((await roundTrip(ws, binary)).equals(binary)).toBe(true);
    expect((await roundTrip(ws, 'héllo')).toString()).toBe('héllo');
    await closeWebSocket(ws);
    const upgrade = stack.backends[0]!.upgrades[0]!;
    expect(upgrade.url).toBe('/chat');
    expect(upgrade.headers).toMatchObject({ 'x-forwarded-proto': 'https', forwarded: `for=127.0.0.1;host="127.0.0.1:${stack.agent.tlsPort}";proto=https` });
  });

  it('forwards https requests with X-Forwarded-Proto https, and plain ones on the other port with http', async () => {
    const res = await fetchTls(stack.agent.https('/api?x=1'), certs.pki.ca.cert);
    expect(res.status).toBe(200);
    const seen = JSON.parse(res.body) as EchoedRequest;
    expect(seen.url).toBe('/api?x=1');
    expect(seen.headers).toMatchObject({ 'x-forwarded-proto': 'https', forwarded: `for=127.0.0.1;host="127.0.0.1:${stack.agent.tlsPort}";proto=https` });
    const plain = (await (await fetch(stack.agent.http('/api'))).json()) as EchoedRequest;
    expect(plain.headers['x-forwarded-proto']).toBe('http');
  });

  it('answers with its own 503 over TLS too', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url(), { state: 'disabled' })]));
    const res = await fetchTls(stack.agent.https('/'), certs.pki.ca.cert);
    expect(res).toMatchObject({ status: 503, body: 'no usable member in balancer b1' });
  });
});

describe('reloading the TLS certificate', () => {
  let certFile: string;
  let keyFile: string;

  beforeEach(async () => {
    certFile = certs.pki.write('reload.crt', certs.listener.cert);
    keyFile = certs.pki.write('reload.key', certs.listener.key);
    await stack.start({ env: { SWITCHBOARD_TLS_PORT: '0', SWITCHBOARD_TLS_CERT_FILE: certFile, SWITCHBOARD_TLS_KEY_FILE: keyFile } });
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
  });

  it('serves renewed files to new connections while open tunnels keep going', async () => {
    const before = await presentedCertificate(stack.agent.tlsPort!, certs.pki.ca.cert);
    const open = await openWebSocket(stack.agent.https('/', true), { ca: certs.pki.ca.cert });
    const renewed = certs.pki.issue('renewed', ['localhost', '127.0.0.1']);
    copyFileSync(renewed.certFile, certFile);
    copyFileSync(renewed.keyFile, keyFile);
    expect(stack.agent.agent.reloadTlsCredentials()).toBe(true);
    const after = await presentedCertificate(stack.agent.tlsPort!, certs.pki.ca.cert);
    expect(after.serialNumber).not.toBe(before.serialNumber);
    expect((await roundTrip(open, 'still here')).toString()).toBe('still here');
    await closeWebSocket(open);
  });

  it('keeps the current certificate when a renewed file is invalid', async () => {
    const before = await presentedCertificate(stack.agent.tlsPort!, certs.pki.ca.cert);
    certs.pki.write('reload.key', 'not a key');
    expect(stack.agent.agent.reloadTlsCredentials()).toBe(false);
    expect((await presentedCertificate(stack.agent.tlsPort!, certs.pki.ca.cert)).serialNumber).toBe(before.serialNumber);
    expect((await fetchTls(stack.agent.https('/'), certs.pki.ca.cert)).status).toBe(200);
  });
});
