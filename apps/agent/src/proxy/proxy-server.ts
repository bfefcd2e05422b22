import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerOptions } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ConfigState } from '../config/config-state';
import { closeServer, listen } from '../listen';
import { maxConnectionsPerProcess } from '../settings';
import type { AgentSettings, ListenAddress, ServerCredentials } from '../settings';
import { ClientAddresses, DIRECT_CLIENTS } from './client-address';
import type { ClientAddressing } from './client-address';
import { ConnectionCap } from './connection-cap';
import { proxyForeignUpgrade } from './foreign-upgrade';
import { CLOSE_GOING_AWAY } from './frames';
import { proxyHttp } from './http-exchange';
import { errorCode, UpstreamPools } from './proxy-context';
import type { ProxyContext } from './proxy-context';
import { ProxyProtocolAcceptor } from './proxy-protocol-listener';
import { isWebSocketUpgrade } from './resolve';
import { isClosing, sendRawText, sendTextAndClose } from './responses';
import { proxyUpgrade } from './tunnel';

/** Limits of the client-facing listener, agent-wide (they apply before a route is known). */
export interface ListenerLimits {
  /** The whole request head must arrive within this many milliseconds (slowloris), else 408 and the connection is closed. */
  readonly requestHeaderMs: number;
  /** Largest request head in bytes (request line and headers); a larger one gets 431. */
  readonly maxHeaderBytes: number;
  /** A request body with no byte from the client for this long gets 408 (ms; 0 = never). */
  readonly requestBodyIdleMs: number;
  /** Client connections this process holds at most, both listeners together (0 = no cap); see ConnectionCap. */
  readonly maxConnections: number;
}

/** The listener limits of one proxy process (the agent's, or one worker's) from the agent's settings. */
export function listenerLimits(settings: AgentSettings): ListenerLimits {
  return {
    requestHeaderMs: settings.requestHeaderMs,
    maxHeaderBytes: settings.maxHeaderBytes,
    requestBodyIdleMs: settings.requestBodyIdleMs,
    maxConnections: maxConnectionsPerProcess(settings),
  };
}

/** The certificate and key as the TLS listener's secure context takes them. */
function secureContextOptions(credentials: ServerCredentials): { cert: Buffer; key: Buffer } {
  return { cert: credentials.cert.pem, key: credentials.key.pem };
}

/**
 * The client-facing listeners: plain HTTP requests (proxyHttp) and upgrades (proxyUpgrade) on
 * one node:http server, and the same on a node:https one (TLS termination) when credentials are
 * given. Both share the configuration, pools and limits; only the forwarded protocol (`https`) differs.
 * `addressing` says who the client is (trusted proxies; with the PROXY protocol, both listeners
 * read a PROXY header first: ProxyProtocolAcceptor).
 */
export class ProxyServer {
  private readonly server: Server;
  private readonly tlsServer: HttpsServer | undefined;
  private readonly ctx: ProxyContext;
  private readonly cap: ConnectionCap;
  /** PROXY header readers of the listeners (none unless SWITCHBOARD_PROXY_PROTOCOL is on). */
  private readonly acceptors: ProxyProtocolAcceptor[] = [];

  constructor(state: ConfigState, logger: Logger, limits: ListenerLimits, credentials: ServerCredentials | null = null, addressing: ClientAddressing = DIRECT_CLIENTS) {
    this.ctx = { state, pools: new UpstreamPools(), tunnels: new Set(), logger, addresses: new ClientAddresses(addressing), requestBodyIdleMs: limits.requestBodyIdleMs };
    this.cap = new ConnectionCap(limits.maxConnections);
    const options: ServerOptions = {
      maxHeaderSize: limits.maxHeaderBytes,
      // Only the head is bounded: a request body (an upload) may stream for as long as it takes.
      headersTimeout: limits.requestHeaderMs,
      requestTimeout: 0,
      // Node checks the timeouts on this period (default 30 s), so it bounds how late a slow head is cut.
      connectionsCheckingInterval: Math.min(1_000, Math.max(10, Math.floor(limits.requestHeaderMs / 10))),
    };
    // serve() before the PROXY acceptor: the acceptor hands a connection to the listeners present when it is built (the cap's among them).
    this.server = this.serve(createServer(options), 'connection');
    if (addressing.proxyProtocol) this.acceptors.push(new ProxyProtocolAcceptor(this.server, limits.requestHeaderMs, false));
    if (!credentials) return;
    // A handshake gets as long as a request head (Node's default is 120 s: a slowloris before the head).
    const tlsOptions = { ...options, ...secureContextOptions(credentials), ALPNProtocols: ['http/1.1'], handshakeTimeout: limits.requestHeaderMs };
    this.tlsServer = this.serve(createHttpsServer(tlsOptions), 'secureConnection');
    this.tlsServer.on('tlsClientError', (error) => logger.debug({ code: errorCode(error) }, 'TLS handshake with a client failed'));
    if (addressing.proxyProtocol) this.acceptors.push(new ProxyProtocolAcceptor(this.tlsServer, limits.requestHeaderMs, true));
  }

  /** Starts listening; resolves with the bound address. Rejects with the listen error. */
  listen(address: ListenAddress): Promise<AddressInfo> {
    return listen(this.server, address);
  }

  /** Starts the TLS listener (configured by the constructor's credentials); resolves with the bound address. Rejects with the listen error. */
  listenTls(address: ListenAddress): Promise<AddressInfo> {
    if (!this.tlsServer) return Promise.reject(new Error('the proxy has no TLS listener configured'));
    return listen(this.tlsServer, address);
  }

  /** Serves new TLS handshakes with another certificate and key (renewed files); open connections keep theirs. */
  setCredentials(credentials: ServerCredentials): void {
    this.tlsServer?.setSecureContext(secureContextOptions(credentials));
  }

  /**
   * Stops accepting, closes idle keep-alive connections, sends every open WebSocket tunnel a
   * close 1001 ("going away") at a frame boundary both ways (as a drain does), lets requests and
   * tunnels finish for up to `graceMs` milliseconds, then destroys what is left.
   */
  async close(graceMs: number): Promise<void> {
    const servers = this.tlsServer ? [this.server, this.tlsServer] : [this.server];
    const closed = Promise.all(servers.map((server) => closeServer(server)));
    for (const server of servers) server.closeIdleConnections();
    for (const acceptor of this.acceptors) acceptor.destroyPending();
    this.goAway();
    await Promise.race([closed, sleep(graceMs, undefined, { ref: false })]);
    for (const server of servers) server.closeAllConnections();
    for (const socket of this.ctx.tunnels) socket.destroy();
    await closed;
    this.ctx.pools.destroy();
  }

  /** Closes the open tunnels of the members served now with 1001 (those of members removed since are cut at the end of close). */
  private goAway(): void {
    for (const balancer of this.ctx.state.current?.runtime.balancers ?? []) {
      for (const member of balancer.members) for (const tunnel of [...member.counters.tunnels]) tunnel.closeByAgent(CLOSE_GOING_AWAY);
    }
  }

  /**
   * Wires a listener: its connections counted from `acceptEvent` (see ConnectionCap), requests
   * and upgrades proxied, or 503 above the cap; an upgrade pipelined behind a refused request is dropped.
   */
  private serve<T extends Server | HttpsServer>(server: T, acceptEvent: 'connection' | 'secureConnection'): T {
    server.on(acceptEvent, (socket: Socket) => this.cap.admit(socket));
    server.on('request', (req: IncomingMessage, res) => {
      if (this.cap.isRefused(req.socket)) sendTextAndClose(res, 503, this.cap.reason());
      else proxyHttp(req, res, this.ctx);
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (isClosing(socket)) return; // pipelined behind a refused request: the connection closes after its answer
      if (this.cap.isRefused(req.socket)) sendRawText(socket, 503, this.cap.reason());
      else if (isWebSocketUpgrade(req)) proxyUpgrade(req, socket, head, this.ctx);
      else proxyForeignUpgrade(req, socket as Socket, this.ctx);
    });
    return server;
  }
}
