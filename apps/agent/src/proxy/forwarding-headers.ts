import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { ClientAddresses } from './client-address';

/** The forwarding headers the agent sets (API.md, "Agent"), lower-cased. */
export interface ForwardingHeaders {
  readonly 'x-forwarded-for': string;
  readonly 'x-forwarded-proto': string;
  readonly 'x-forwarded-host'?: string;
  readonly 'x-real-ip': string;
  readonly forwarded: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A `Forwarded` parameter value (RFC 7239): a token as is, anything else quoted; IPv6 nodes in brackets. */
function forwardedValue(value: string, node: boolean): string {
  const shown = node && value.includes(':') ? `[${value}]` : value;
  return TOKEN.test(shown) ? shown : `"${shown.replace(/["\\]/g, '\\$&')}"`;
}

function append(existing: string | string[] | undefined, value: string): string {
  const previous = Array.isArray(existing) ? existing.join(', ') : existing;
  return previous ? `${previous}, ${value}` : value;
}

/** `https` for a request that came over the TLS listener, else `http`. */
function protocolOf(req: IncomingMessage): 'http' | 'https' {
  return (req.socket as Partial<TLSSocket>).encrypted === true ? 'https' : 'http';
}

/**
 * The forwarding headers for a request the agent received. The peer (see ClientAddresses) is
 * appended to the client's `X-Forwarded-For` and `Forwarded` (RFC 7239, `for`, `host`, `proto`)
 * only when it is a trusted proxy (HAProxy's `option forwardfor`, NGINX's
 * `$proxy_add_x_forwarded_for` behind `set_real_ip_from`); from anyone else both are replaced by
 * the peer alone, so a client cannot pose as another address. `X-Real-IP` is always the client
 * address as the agent determined it (never the client's own header); `X-Forwarded-Proto`
 * (`https` on the TLS listener) / `X-Forwarded-Host` are set to what this hop saw.
 */
export function forwardingHeaders(req: IncomingMessage, addresses: ClientAddresses): ForwardingHeaders {
  const peer = addresses.peerOf(req.socket);
  const trusted = addresses.isTrusted(peer);
  const host = req.headers.host;
  const proto = protocolOf(req);
  const element = `for=${forwardedValue(peer, true)}${host ? `;host=${forwardedValue(host, false)}` : ''};proto=${proto}`;
  return {
    'x-forwarded-for': trusted ? append(req.headers['x-forwarded-for'], peer) : peer,
    'x-forwarded-proto': proto,
    ...(host ? { 'x-forwarded-host': host } : {}),
    'x-real-ip': trusted ? addresses.clientOf(req, peer) : peer,
    forwarded: trusted ? append(req.headers.forwarded, element) : element,
  };
}

/** Headers meaningful for one connection only (RFC 9110 §7.6.1), never forwarded on plain HTTP. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Header names the proxy replaces or answers itself: the forwarding set (a client's own X-Real-IP dropped), and `expect` (Node already answered 100-continue). */
const REPLACED = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip', 'forwarded', 'expect']);

/** Tokens listed in a Connection header, lower-cased: more hop-by-hop headers. */
function connectionTokens(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value.join(',') : value).split(',').map((token) => token.trim().toLowerCase());
}

/** Request headers for a plain HTTP hop: the client's (Host kept; HttpExchange replaces it per member) without hop-by-hop ones, plus the forwarding headers. */
export function upstreamRequestHeaders(req: IncomingMessage, forwarding: ForwardingHeaders): OutgoingHttpHeaders {
  const listed = connectionTokens(req.headers.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!HOP_BY_HOP.has(name) && !REPLACED.has(name) && !listed.includes(name)) headers[name] = value;
  }
  return Object.assign(headers, forwarding);
}

/** Response headers for the client: the member's without hop-by-hop ones (Node frames the body itself). */
export function downstreamResponseHeaders(res: IncomingMessage): OutgoingHttpHeaders {
  const listed = connectionTokens(res.headers.connection);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (!HOP_BY_HOP.has(name) && !listed.includes(name)) headers[name] = value;
  }
  return headers;
}

/**
 * The head of an upgrade request for the member, as bytes to write on the raw connection:
 * the client's request line with the forwarded path and its headers in their original case
 * and order (Upgrade, Connection and Sec-WebSocket-* included), the forwarding headers
 * replaced by this hop's, and the Host replaced by `host` in place when not null (balancer
 * hostHeader; added when the client sent none).
 */
export function upgradeRequestHead(req: IncomingMessage, path: string, forwarding: ForwardingHeaders, host: string | null = null): Buffer {
  let head = `${req.method ?? 'GET'} ${path} HTTP/1.1\r\n`;
  let hostWritten = host === null;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (REPLACED.has(name)) continue;
    if (host !== null && name === 'host') {
      if (!hostWritten) head += `${raw[i]}: ${host}\r\n`;
      hostWritten = true;
    } else head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  if (!hostWritten) head += `Host: ${host}\r\n`;
  for (const [name, value] of Object.entries(forwarding)) head += `${name}: ${String(value)}\r\n`;
  return Buffer.from(`${head}\r\n`, 'latin1');
}
