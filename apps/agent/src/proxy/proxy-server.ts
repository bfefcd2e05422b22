import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ConfigState } from '../config/config-state';
import { closeServer, listen } from '../listen';
import type { ListenAddress } from '../settings';
import { proxyHttp } from './http-exchange';
import { createUpstreamAgents } from './proxy-context';
import type { ProxyContext } from './proxy-context';
import { proxyUpgrade } from './tunnel';

/** The client-facing listener: plain HTTP requests (proxyHttp) and upgrades (proxyUpgrade) on one node:http server. */
export class ProxyServer {
  private readonly server: Server;
  private readonly ctx: ProxyContext;

  constructor(state: ConfigState, logger: Logger) {
    this.ctx = { state, agents: createUpstreamAgents(), tunnels: new Set(), logger };
    this.server = createServer((req, res) => proxyHttp(req, res, this.ctx));
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
    this.ctx.agents.http.destroy();
    this.ctx.agents.https.destroy();
  }
}
