import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';

/**
 * How the member answers one health check: an HTTP status (for an upgrade on the check path,
 * any status but 101 refuses it), `accept` (a real WebSocket upgrade; 200 for plain GET),
 * `bad-accept` (101 with a wrong Sec-WebSocket-Accept) or `hang` (never answer).
 */
export type CheckAnswer = number | 'accept' | 'bad-accept' | 'hang';

/** A health check the member received. */
export interface SeenCheck {
  readonly url: string;
  readonly host: string | undefined;
  readonly userAgent: string | undefined;
  readonly upgrade: boolean;
  /** performance.now() at arrival. */
  readonly at: number;
}

/**
 * A member for health-check tests on 127.0.0.1. Requests and upgrades on `checkPath` are health
 * checks, answered from `script` (one entry per check, in order) and then `answer`; everything
 * else is traffic: plain requests get 200 with the member's name as body (and `x-backend`),
 * upgrades a WebSocket echo. `observe`, when set, is called as each check (`observed`) and each
 * TCP connection (`observedAtConnect`) arrives, so a test can record what the agent thought of
 * the member at that moment: checks of one member run one after another, so the value seen by
 * check n+1 is the result of checks 1..n. `stop` closes the port (connections are refused) and
 * `restart` opens the same one again.
 */
export class HealthBackend {
  readonly checks: SeenCheck[] = [];
  readonly observed: string[] = [];
  readonly observedAtConnect: string[] = [];
  /** Close codes of the WebSocket connections the member accepted, as their clients closed them. */
  readonly closeCodes: number[] = [];
  /** Traffic received (not checks): plain requests and upgrades. */
  traffic = 0;
  script: CheckAnswer[] = [];
  answer: CheckAnswer = 'accept';
  observe: (() => string) | undefined;
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;

  constructor(
    readonly name: string,
    readonly checkPath = '/health',
  ) {
    this.server = createServer((req, res) => {
      const answer = this.checkAnswer(req);
      if (answer === undefined) {
        this.traffic += 1;
        res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': name }).end(name);
      } else if (answer !== 'hang') {
        res.writeHead(typeof answer === 'number' ? answer : 200, { 'content-type': 'text/plain' }).end(`${name} check`);
      }
    });
    this.server.on('connection', (socket: Socket) => {
      if (this.observe) this.observedAtConnect.push(this.observe());
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Listens on 127.0.0.1: an ephemeral port the first time, the same port after stop. */
  async start(): Promise<this> {
    this.server.listen(this.boundPort, '127.0.0.1');
    await once(this.server, 'listening');
    this.boundPort = (this.server.address() as AddressInfo).port;
    return this;
  }

  get port(): number {
    return this.boundPort;
  }

  /** Member URL with the given scheme. */
  url(scheme: 'http' | 'ws' | 'https' | 'wss' = 'http'): string {
    return `${scheme}://127.0.0.1:${this.boundPort}`;
  }

  /** Checks received whose path is `path`. */
  checksOn(path: string): number {
    return this.checks.filter((check) => check.url === path).length;
  }

  /** Closes the port and every connection: new connections are refused until restart. */
  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    for (const client of this.wss.clients) client.terminate();
    await closed;
  }

  /** Opens the same port again. */
  restart(): Promise<this> {
    return this.start();
  }

  /** The answer for a health check (recorded and observed), or undefined for traffic. */
  private checkAnswer(req: IncomingMessage): CheckAnswer | undefined {
    if (req.url !== this.checkPath) return undefined;
    this.checks.push({ url: req.url, host: req.headers.host, userAgent: req.headers['user-agent'], upgrade: req.headers.upgrade !== undefined, at: performance.now() });
    if (this.observe) this.observed.push(this.observe());
    return this.script.shift() ?? this.answer;
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const answer = this.checkAnswer(req);
    if (answer === undefined) this.traffic += 1;
    if (answer === 'hang') return;
    if (answer === 'bad-accept') {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-accept: d3Jvbmc=\r\n\r\n');
      return;
    }
    if (typeof answer === 'number') {
      socket.end(`HTTP/1.1 ${answer} Refused\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('close', (code) => this.closeCodes.push(code));
      ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    });
  }
}

/** Starts health backends named h1, h2, … on `checkPath`. */
export function startHealthBackends(count: number, checkPath = '/health'): Promise<HealthBackend[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => new HealthBackend(`h${i + 1}`, checkPath).start()));
}
