import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_VERSION } from '@switchboard/protocol';
import type { AgentMessage, Snapshot } from '@switchboard/protocol';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { waitFor } from './wait';

/**
 * A small real control plane for tests: accepts agents at /agents/connect with the right
 * bearer token (401 otherwise), answers hello with welcome and the current snapshot, records
 * every agent message, and can publish snapshots or raw messages.
 */
export class FakeControlPlane {
  /** Every message received from agents, in order. */
  readonly messages: AgentMessage[] = [];
  /** Upgrade attempts, accepted or refused. */
  upgrades = 0;
  /** TLS handshakes that failed (with `tls`): each is one dial of an agent that refused the certificate. */
  tlsFailures = 0;
  /** When set, sent after each welcome. */
  snapshot: Snapshot | undefined;
  private readonly server: Server;
  private readonly wss: WebSocketServer;

  /** `autoPong: false` leaves the agent's pings unanswered, as a dead peer would; `tls` serves wss:// with that certificate and key (PEM). */
  constructor(
    private readonly token = 'agent-token',
    private readonly options: { autoPong?: boolean; tls?: { cert: Buffer; key: Buffer } } = {},
  ) {
    this.wss = new WebSocketServer({ noServer: true, autoPong: options.autoPong ?? true });
    const notFound = (_req: unknown, res: { writeHead(status: number): { end(): void } }) => res.writeHead(404).end();
    this.server = options.tls ? createHttpsServer(options.tls, notFound) : createServer(notFound);
    this.server.on('tlsClientError', () => (this.tlsFailures += 1));
    this.server.on('upgrade', (req, socket, head) => {
      this.upgrades += 1;
      // An agent terminating after a refusal resets the socket; without a handler that would be an uncaught ECONNRESET.
      socket.on('error', () => socket.destroy());
      if (req.url !== '/agents/connect' || req.headers.authorization !== `Bearer ${this.token}`) {
        socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  /** Listens on an ephemeral port of 127.0.0.1 (or the given one, to come back on the same URL). */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return this;
  }

  /** The base URL agents are given (without /agents/connect). */
  get url(): string {
    return `${this.options.tls ? 'wss' : 'ws'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Agents connected now. */
  get clients(): WebSocket[] {
    return [...this.wss.clients];
  }

  /** Makes `snapshot` current and sends it to every connected agent. */
  publish(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.broadcast({ type: 'snapshot', ...snapshot });
  }

  /** Sends anything (a raw string as is) to every connected agent. */
  broadcast(message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    for (const client of this.wss.clients) client.send(text);
  }

  /** Waits for the first message at or after index `from` that has the type and passes the check. */
  async next<T extends AgentMessage['type']>(type: T, check: (message: Extract<AgentMessage, { type: T }>) => boolean = () => true, from = 0): Promise<Extract<AgentMessage, { type: T }>> {
    return waitFor(
      () => this.messages.slice(from).find((m): m is Extract<AgentMessage, { type: T }> => m.type === type && check(m as Extract<AgentMessage, { type: T }>)),
      `a ${type} message`,
    );
  }

  /** Closes every agent connection and the listener. */
  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as AgentMessage;
      this.messages.push(message);
      if (message.type !== 'hello') return;
      ws.send(JSON.stringify({ type: 'welcome', agentId: `agent-${message.agent.name}`, protocolVersion: PROTOCOL_VERSION }));
      if (this.snapshot) ws.send(JSON.stringify({ type: 'snapshot', ...this.snapshot }));
    });
  }
}
