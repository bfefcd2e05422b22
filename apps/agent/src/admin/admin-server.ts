import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { ConfigState } from '../config/config-state';
import { closeServer, listen } from '../listen';
import type { ListenAddress } from '../settings';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** `/config`: `{ revision, hash, appliedAt, source, config }`, all null before the first configuration. */
function configBody(state: ConfigState): unknown {
  const current = state.current;
  if (!current) return { revision: null, hash: null, appliedAt: null, source: null, config: null };
  return { revision: current.revision, hash: current.hash, appliedAt: current.appliedAt.toISOString(), source: current.source, config: current.config };
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * True when `authorization` is `Bearer <token>` (scheme case-insensitive, RFC 9110 §11.1).
 * Compared as SHA-256 digests with timingSafeEqual, so the time taken tells nothing of the token
 * (not even its length). The token is never empty (settings ask for 16 characters or more).
 */
function bearerMatches(authorization: string | undefined, tokenDigest: Buffer): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  return timingSafeEqual(sha256(match?.[1] ?? ''), tokenDigest);
}

/**
 * The agent's own admin port (API.md): GET /healthz → 200 `{status:'ok'}`, GET /metrics →
 * Prometheus text, GET /config → the served configuration; anything else 404 or 405 (JSON).
 * With a token (SWITCHBOARD_ADMIN_TOKEN_FILE) every request, whatever its path or method, must
 * carry `Authorization: Bearer <token>`, else 401 with `WWW-Authenticate: Bearer` (RFC 6750 §3).
 */
export class AdminServer {
  private readonly server: Server;
  private readonly tokenDigest: Buffer | null;

  /** `token`: the bearer token every request must carry, or null for none. */
  constructor(
    private readonly state: ConfigState,
    private readonly metrics: Registry,
    token: string | null = null,
  ) {
    this.tokenDigest = token === null ? null : sha256(token);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  /** Starts listening; resolves with the bound address. Rejects with the listen error. */
  listen(address: ListenAddress): Promise<AddressInfo> {
    return listen(this.server, address);
  }

  /** Stops accepting and closes every connection (scrapes are short). */
  async close(): Promise<void> {
    const closed = closeServer(this.server);
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.tokenDigest && !bearerMatches(req.headers.authorization, this.tokenDigest)) {
      res.setHeader('www-authenticate', 'Bearer realm="switchboard-agent"');
      return sendJson(res, 401, { error: 'a valid Authorization: Bearer token is required (SWITCHBOARD_ADMIN_TOKEN_FILE)' });
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/healthz' && path !== '/metrics' && path !== '/config') return sendJson(res, 404, { error: `no such path ${path}` });
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'only GET' });
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (path === '/config') return sendJson(res, 200, configBody(this.state));
    const text = await this.metrics.metrics();
    res.writeHead(200, { 'content-type': this.metrics.contentType });
    res.end(text);
  }
}
