// Per-request cost of naming the client (forwardingHeaders + the `hash` key), and per-connection
// cost of reading a PROXY header, on the agent's hot path. Run:
//   npx vitest bench --run test/bench/client-address.bench.ts
import type { IncomingMessage } from 'node:http';
import { bench, describe } from 'vitest';
import { ClientAddresses, DIRECT_CLIENTS } from '../../apps/agent/src/proxy/client-address';
import { forwardingHeaders } from '../../apps/agent/src/proxy/forwarding-headers';
import { parseProxyHeader } from '../../apps/agent/src/proxy/proxy-protocol';
import { proxyV1, proxyV2 } from '../../apps/agent/src/testing/proxy-headers';

/** Just what forwardingHeaders and clientOf read of a request. */
function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  const headers = { host: 'chat.example.com', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) };
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

const direct = new ClientAddresses(DIRECT_CLIENTS);
const behindProxies = new ClientAddresses({ trustedProxies: ['10.0.0.0/8', '192.168.0.0/16', '2001:db8::/32'], proxyProtocol: false });
const client = request('198.51.100.23', '6.6.6.6');
const fromProxy = request('10.0.0.5', '6.6.6.6, 203.0.113.9, 10.1.2.3');

describe('forwarding headers per request', () => {
  bench('nothing configured (the default), a client claiming an address', () => void forwardingHeaders(client, direct));
  bench('3 trusted CIDRs, an untrusted client', () => void forwardingHeaders(client, behindProxies));
  bench('3 trusted CIDRs, a trusted proxy passing 3 addresses (X-Real-IP walk)', () => void forwardingHeaders(fromProxy, behindProxies));
  bench('hash key: 3 trusted CIDRs, a trusted proxy passing 3 addresses', () => void behindProxies.clientOf(fromProxy));
});

const v1 = Buffer.from(`${proxyV1('203.0.113.7')}GET / HTTP/1.1\r\n`, 'latin1');
const v2 = proxyV2('2001:db8:0:0:0:0:0:7');
const v2v4 = proxyV2('203.0.113.7');

describe('PROXY header per connection', () => {
  bench('v1 TCP4', () => void parseProxyHeader(v1));
  bench('v2 TCP over IPv4', () => void parseProxyHeader(v2v4));
  bench('v2 TCP over IPv6', () => void parseProxyHeader(v2));
});
