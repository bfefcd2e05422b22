import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** The four forwarding headers the agent sets (API.md, "Agent"), lower-cased. */
export interface ForwardingHeaders {
  readonly 'x-forwarded-for': string;
  readonly 'x-forwarded-proto': string;
  readonly 'x-forwarded-host'?: string;
  readonly forwarded: string;
}

/** The client's address, with IPv4-mapped IPv6 (`::ffff:1.2.3.4`) shown as IPv4. */
export function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
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
 * The forwarding headers for a request the agent received: the client address appended to
 * `X-Forwarded-For` and `Forwarded` (RFC 7239, `for`, `host`, `proto`), and `X-Forwarded-Proto`
 * (`https` on the TLS listener) / `X-Forwarded-Host` set to what this hop saw (any incoming ones replaced).
 */
export function forwardingHeaders(req: IncomingMessage): ForwardingHeaders {
  const client = clientAddress(req);
  const host = req.headers.host;
  const proto = protocolOf(req);
  const element = `for=${forwardedValue(client, true)}${host ? `;host=${forwardedValue(host, false)}` : ''};proto=${proto}`;
  return {
    'x-forwarded-for': append(req.headers['x-forwarded-for'], client),
    'x-forwarded-proto': proto,
    ...(host ? { 'x-forwarded-host': host } : {}),
    forwarded: append(req.headers.forwarded, element),
  };
}

/** Headers meaningful for one connection only (RFC 9110 §7.6.1), never forwarded on plain HTTP. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Header names the proxy replaces or answers itself: the forwarding set, and `expect` (Node already answered 100-continue). */
const REPLACED = new Set(['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded', 'expect']);

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
