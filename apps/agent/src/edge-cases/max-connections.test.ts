import { once } from 'node:events';
import { connect } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useListenerPki } from '../testing/listener-pki';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';
import { waitFor } from '../testing/wait';
import { upgradeRequest } from '../testing/ws-frames';

// Issue 7, item 4: nothing capped the client connections an agent holds. With
// SWITCHBOARD_MAX_CONNECTIONS (here 2; HAProxy's `maxconn`) a connection accepted while the
// cap is reached gets 503 to its first request (or upgrade) and is closed, reaching no member;
// the connections below the cap are unaffected, and once one closes a new one is served again.
// Both listeners (plain and TLS) share the one cap.

const stack = useStack(0);
const REASON = 'too many connections: this agent process holds its maximum of 2 (SWITCHBOARD_MAX_CONNECTIONS)';
let recorder: RecordingMember;
const certs = useListenerPki();

beforeEach(async () => {
  recorder = await new RecordingMember().start();
  await stack.start({ env: { SWITCHBOARD_MAX_CONNECTIONS: '2', SWITCHBOARD_TLS_PORT: '0', SWITCHBOARD_TLS_CERT_FILE: certs.listener.certFile, SWITCHBOARD_TLS_KEY_FILE: certs.listener.keyFile } });
  await stack.serve(singleBalancer([member('m1', recorder.url())]));
});
afterEach(() => recorder.close());

/** A connection to the plain listener, or a TLS one (handshake done) to the TLS listener. */
async function open(tls: boolean): Promise<RawPeer> {
  if (!tls) return RawPeer.connect(stack.agent.port);
  const peer = new RawPeer(connect({ host: '127.0.0.1', port: stack.agent.tlsPort!, ca: certs.pki.ca.cert, servername: 'localhost' }));
  await once(peer.socket, 'secureConnect');
  return peer;
}

/** Sends `GET path` on a new connection; resolves with it once answered by the member (admitted), or false once refused and closed. */
async function attempt(path: string, tls = false): Promise<RawPeer | false> {
  const client = await open(tls);
  client.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
  await waitFor(() => client.closed || client.text.includes(`seen GET ${path}`), `an answer to ${path}`);
  return !client.closed && client;
}

/** A kept-alive connection that got its first answer (so the agent has admitted it). */
async function served(path: string, tls = false): Promise<RawPeer> {
  const client = await attempt(path, tls);
  if (!client) throw new Error(`${path} was refused`);
  return client;
}

describe('SWITCHBOARD_MAX_CONNECTIONS', () => {
  it('answers a connection above the cap 503 and closes it; those below it keep working; a closed one frees a place', async () => {
    const a = await served('/a');
    const b = await served('/b');

    const refused = await RawPeer.exchange(stack.agent.port, 'GET /c HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(refused).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(refused).toMatch(/\r\nconnection: close\r\n/i);
    expect(refused.endsWith(`\r\n\r\n${REASON}`)).toBe(true);
    const upgrade = await RawPeer.exchange(stack.agent.port, upgradeRequest('/ws'));
    expect(upgrade).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(upgrade.endsWith(`\r\n\r\n${REASON}`)).toBe(true);
    expect(recorder.urls).toEqual(['/a', '/b']);

    // Below the cap nothing changed: both connections are still served.
    a.write('GET /a2 HTTP/1.1\r\nHost: x\r\n\r\n');
    b.write('GET /b2 HTTP/1.1\r\nHost: x\r\n\r\n');
    await a.until('seen GET /a2');
    await b.until('seen GET /b2');
    expect(a.closed || b.closed).toBe(false);

    // One leaves: a new connection is served once the agent has seen the close (attempts before that are refused).
    a.socket.end();
    await a.whenClosed();
    const d = await waitFor(() => attempt('/d'), 'a new connection to be admitted');
    expect(recorder.urls.slice(0, 4)).toEqual(['/a', '/b', '/a2', '/b2']);
    expect(recorder.urls.at(-1)).toBe('/d');
    b.socket.destroy();
    d.socket.destroy();
    await whenReleased(stack.counters('m1'));
  });

  it('counts the TLS listener\'s connections in the same cap, and refuses above it there too', async () => {
    const plain = await served('/plain');
    const tls = await served('/tls', true);
    const refused = await open(true);
    refused.write('GET /over HTTP/1.1\r\nHost: x\r\n\r\n');
    await refused.whenClosed();
    expect(refused.text).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(refused.text.endsWith(REASON)).toBe(true);
    expect(await attempt('/over-plain')).toBe(false);
    expect(recorder.urls).toEqual(['/plain', '/tls']);
    plain.socket.destroy();
    tls.socket.destroy();
    await whenReleased(stack.counters('m1'));
  });
});
