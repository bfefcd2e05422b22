import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ConfigState } from '../config/config-state';
import { closeServer, listen } from '../listen';
import type { ListenAddress } from '../settings';
import { proxyHttp } from './http-exchange';
import { UpstreamPools } from './proxy-context';
import type { ProxyContext } from './proxy-context';
import { proxyUpgrade } from './tunnel';

/** Limits of the client-facing listener, agent-wide (they apply before a route is known). */
export interface ListenerLimits {
  /** The whole request head must arrive within this many milliseconds (slowloris), else 408 and the connection is closed. */
  readonly requestHeaderMs: number;
  /** Largest request head in bytes (request line and headers); a larger one gets 431. */
  readonly maxHeaderBytes: number;
}

/** The client-facing listener: plain HTTP requests (proxyHttp) and upgrades (proxyUpgrade) on one node:http server. */
export class ProxyServer {
  private readonly server: Server;
  private readonly ctx: ProxyContext;

  constructor(state: ConfigState, logger: Logger, limits: ListenerLimits) {
    this.ctx = { state, pools: new UpstreamPools(), tunnels: new Set(), logger };
    this.server = createServer(
      {
        maxHeaderSize: limits.maxHeaderBytes,
        // Only the head is bounded: a request body (an upload) may stream for as long as it takes.
        headersTimeout: limits.requestHeaderMs,
        requestTimeout: 0,
        // Node checks the timeouts on this period (default 30 s), so it bounds how late a slow head is cut.
        connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(limits.requestHeaderMs / 10))),
      },
      (req, res) => proxyHttp(req, res, this.ctx),
    );
    this.server.on('upgrade', (req, socket, head: Buffer) => proxyUpgrade(req, socket, head, this.ctx));
  }

  /** Starts listening; resolves with the bound address. Rejects with the listen error. */
  listen(address: ListenAddress): Promise<AddressInfo> {
    return listen(this.server, address);
  }

  /**
   * Stops accepting, closes idle keep-alive connections, lets requests and tunnels run for up
   * to `graceMs` milliseconds, then destroys what is left (tunnels are cut, not sent a close frame).
   */
  async close(graceMs: number): Promise<void> {
    const closed = closeServer(this.server);
    this.server.closeIdleConnections();
    await Promise.race([closed, sleep(graceMs, undefined, { ref: false })]);
    this.server.closeAllConnections();
    for (const socket of this.ctx.tunnels) socket.destroy();
    await closed;
    this.ctx.pools.destroy();
  }
}
