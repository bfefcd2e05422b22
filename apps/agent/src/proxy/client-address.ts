import type { IncomingMessage } from 'node:http';
import { isIP, isIPv4, isIPv6 } from 'node:net';
import type { Socket } from 'node:net';
import { carriedAddress } from './proxy-protocol-listener';
import { plainAddress, TrustedProxies } from './trusted-proxies';

/** How the agent tells who a client is: SWITCHBOARD_TRUSTED_PROXIES (canonical CIDRs) and SWITCHBOARD_PROXY_PROTOCOL. */
export interface ClientAddressing {
  readonly trustedProxies: readonly string[];
  readonly proxyProtocol: boolean;
}

/** Nobody trusted, no PROXY protocol: the defaults. */
export const DIRECT_CLIENTS: ClientAddressing = { trustedProxies: [], proxyProtocol: false };

/**
 * Who sent a request, for the forwarding headers and lbmethod `hash`:
 * - the **peer** is the address of the connection: the socket's (IPv4-mapped IPv6 shown as
 *   IPv4), or with SWITCHBOARD_PROXY_PROTOCOL the address its PROXY header carried;
 * - the **client** is the peer, unless the peer is a trusted proxy: then the right-most
 *   X-Forwarded-For address that is not itself trusted (NGINX's `real_ip_header
 *   X-Forwarded-For` + `set_real_ip_from` + `real_ip_recursive on`); every address trusted
 *   gives the left-most. An entry that is not an address stops the walk at the last address a
 *   trusted hop vouched for, so a client behind a trusted proxy never gets garbage as its key.
 */
export class ClientAddresses {
  private readonly trusted: TrustedProxies;
  private readonly proxyProtocol: boolean;

  constructor(addressing: ClientAddressing) {
    this.trusted = new TrustedProxies(addressing.trustedProxies);
    this.proxyProtocol = addressing.proxyProtocol;
  }

  /** The connection's peer address ('' when the socket is already gone). */
  peerOf(socket: Socket): string {
    if (this.proxyProtocol) {
      const carried = carriedAddress(socket);
      if (carried !== undefined) return carried;
    }
    return plainAddress(socket.remoteAddress ?? '');
  }

  /** Whether `address` is in SWITCHBOARD_TRUSTED_PROXIES. */
  isTrusted(address: string): boolean {
    return this.trusted.has(address);
  }

  /** The client of `req` given its peer (see the class). */
  clientOf(req: IncomingMessage, peer: string = this.peerOf(req.socket)): string {
    if (!this.isTrusted(peer)) return peer;
    const forwardedFor = req.headers['x-forwarded-for'];
    return this.rightmostUntrusted(Array.isArray(forwardedFor) ? forwardedFor.join(', ') : forwardedFor, peer);
  }

  /** Walks X-Forwarded-For (several header lines already joined by Node with `, `) from the right. */
  private rightmostUntrusted(forwardedFor: string | undefined, peer: string): string {
    let client = peer;
    if (forwardedFor === undefined) return client;
    let end = forwardedFor.length;
    while (end >= 0) {
      const start = forwardedFor.lastIndexOf(',', end - 1) + 1;
      const address = forwardedForAddress(forwardedFor.slice(start, end));
      if (address === undefined) return client;
      client = address;
      if (!this.isTrusted(address)) return client;
      end = start - 1;
    }
    return client;
  }
}

const WITH_PORT_V4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const WITH_PORT_V6 = /^\[([0-9A-Fa-f:.]+)\](?::\d{1,5})?$/;

/** One X-Forwarded-For entry as an address (`1.2.3.4`, `::1`, or with a port `1.2.3.4:80`, `[::1]:80`), or undefined when it is none. */
function forwardedForAddress(entry: string): string | undefined {
  const text = entry.trim();
  if (isIP(text) !== 0) return text.includes('%') ? undefined : plainAddress(text);
  const v4 = WITH_PORT_V4.exec(text)?.[1];
  if (v4 !== undefined) return isIPv4(v4) ? v4 : undefined;
  const v6 = WITH_PORT_V6.exec(text)?.[1];
  return v6 !== undefined && isIPv6(v6) ? plainAddress(v6) : undefined;
}
