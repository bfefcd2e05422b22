import { CLOSE_CODES, welcomeMessage } from '@switchboard/protocol';
import type { AgentMessage, HelloMessage, StatsMessage } from '@switchboard/protocol';
import { rootCertificates } from 'node:tls';
import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import { backoffDelay } from './backoff';
import type { BackoffOptions } from './backoff';
import { isCertificateError } from '../tls/upstream-tls';

/** The agent's answer to a snapshot. */
export type SnapshotAnswer = Extract<AgentMessage, { type: 'ack' | 'nack' }>;

/** What the control channel asks of the agent. */
export interface ControlHandlers {
  /** The hello to send after each connect (revision and hash served now). */
  hello(): HelloMessage;
  /** Applies a `snapshot` message (still unvalidated: the handler validates it) and answers ack or nack. */
  onSnapshot(raw: unknown): Promise<SnapshotAnswer>;
  /** The stats to send now. */
  stats(): StatsMessage;
}

/** Settings of the control channel; times in milliseconds. */
export interface ControlClientOptions {
  /** `ws(s)://host:port/agents/connect`. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` on the upgrade. */
  readonly token: string;
  /** PEM CA bundle trusted for a wss URL besides Node's bundled CAs (SWITCHBOARD_CONTROL_CA_FILE); absent = Node's CAs only. */
  readonly ca?: Buffer;
  /** Period of `stats` messages. */
  readonly statsIntervalMs: number;
  /** Period of pings; the connection is terminated when two pings in a row got no pong. */
  readonly heartbeatIntervalMs: number;
  /** Reconnect delays after failures (full jitter). */
  readonly backoff: BackoffOptions;
  /** Reconnect delay (with ±50 % jitter) after the control plane refused the token or the protocol version. */
  readonly refusedRetryMs: number;
  readonly logger: Logger;
}

/** Largest control message accepted, in bytes (a snapshot of a big fleet fits easily). */
const MAX_PAYLOAD = 64 * 1024 * 1024;

/**
 * Close codes by which the control plane refuses this agent (DESIGN.md, "Control channel"):
 * retried on the slow `refusedRetryMs`, with what the operator should fix.
 */
const REFUSALS: ReadonlyMap<number, string> = new Map([
  [CLOSE_CODES.unauthorized, 'agent token refused (check SWITCHBOARD_AGENT_TOKEN)'],
  [CLOSE_CODES.credentialRevoked, 'agent token revoked (give this agent a new SWITCHBOARD_AGENT_TOKEN)'],
  [CLOSE_CODES.nameConflict, 'agent name bound to another agent token (check SWITCHBOARD_AGENT_NAME, or revoke the other token to re-enrol the name)'],
  [CLOSE_CODES.unsupportedProtocol, 'protocol version unsupported (upgrade the agent or the control plane)'],
]);

/** Why the last connection ended, for choosing the next delay. */
type Ending = 'failed' | 'refused' | 'welcomed';

/**
 * The agent's end of the control channel (DESIGN.md, "Control channel"): dials out, sends
 * hello, answers every snapshot with ack or nack (in order of arrival), sends stats and pings
 * periodically, and reconnects forever with jittered exponential backoff — slowly when the
 * control plane refuses the token (HTTP 401 / close 4401), revokes it (close 4403), refuses the
 * name (close 4409) or the protocol (close 4426); meanwhile the agent keeps serving its revision.
 * An HTTP 503 (the control plane cannot check the token, its database being down) is an ordinary
 * failure, retried on the normal backoff.
 * Messages that are not JSON or fail their schema are logged and counted, never fatal.
 */
export class ControlClient {
  private socket: WebSocket | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private stopped = true;
  private invalid = 0;
  /** Snapshots are applied one after another, so acks and nacks go out in the order snapshots came in. */
  private snapshots: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: ControlClientOptions,
    private readonly handlers: ControlHandlers,
  ) {}

  /** True while the channel is open. */
  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Messages dropped as invalid since start. */
  get invalidMessages(): number {
    return this.invalid;
  }

  /** Starts dialling; never throws (failures are retried). */
  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Stops reconnecting and closes the channel with 1001 (going away). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1001, 'agent shutting down');
  }

  private connect(): void {
    const { url, token, ca } = this.options;
    // `ca` replaces Node's bundled CAs in tls.connect, so they are listed too (a public CA keeps working).
    const trust = ca ? { ca: [...rootCertificates, ca] } : {};
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${token}` }, maxPayload: MAX_PAYLOAD, handshakeTimeout: 10_000, ...trust });
    this.socket = socket;
    let ending: Ending = 'failed';
    let refusedStatus: number | undefined;
    let lastError: string | undefined;
    socket.on('unexpected-response', (_req, res) => {
      refusedStatus = res.statusCode;
      socket.terminate();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      lastError = error.message;
      if (error.code !== undefined && isCertificateError(error.code)) this.options.logger.error({ url, code: error.code, reason: error.message }, 'control plane certificate refused (is its CA in SWITCHBOARD_CONTROL_CA_FILE, and its name the URL host?)');
    });
    socket.on('open', () => this.onOpen(socket));
    socket.on('message', (data, isBinary) => {
      if (this.onMessage(socket, data, isBinary)) ending = 'welcomed';
    });
    socket.on('close', (code, reason) => {
      if (refusedStatus === 401 || REFUSALS.has(code)) ending = 'refused';
      this.onClose(socket, ending, refusedStatus === undefined ? { code, reason: reason.toString(), error: lastError } : { status: refusedStatus });
    });
  }

  private onOpen(socket: WebSocket): void {
    this.options.logger.info({ url: this.options.url }, 'control channel open');
    this.send(socket, this.handlers.hello());
    const stats = setInterval(() => this.send(socket, this.handlers.stats()), this.options.statsIntervalMs);
    let missed = 0;
    const heartbeat = setInterval(() => {
      if (missed >= 2) {
        this.options.logger.warn('control channel missed two pongs; terminating it');
        socket.terminate();
        return;
      }
      missed += 1;
      socket.ping();
    }, this.options.heartbeatIntervalMs);
    socket.on('pong', () => (missed = 0));
    socket.once('close', () => {
      clearInterval(stats);
      clearInterval(heartbeat);
    });
  }

  /**
   * Handles one message; returns true for a valid welcome (the connection is accepted).
   * Snapshots go to the handler, which validates them with the protocol's `snapshot` schema
   * (the snapshot message without `type`) so that cached and received ones pass the same check.
   */
  private onMessage(socket: WebSocket, data: RawData, isBinary: boolean): boolean {
    const raw = isBinary ? undefined : parseJson(rawText(data));
    const type = (raw as { type?: unknown } | undefined)?.type;
    if (type === 'snapshot') {
      this.handleSnapshot(socket, raw);
      return false;
    }
    const parsed = welcomeMessage.safeParse(raw);
    if (!parsed.success) {
      this.invalid += 1;
      this.options.logger.warn({ type: typeof type === 'string' ? type : undefined }, 'invalid control message dropped');
      return false;
    }
    this.options.logger.info({ agentId: parsed.data.agentId, protocolVersion: parsed.data.protocolVersion }, 'control channel welcomed');
    return true;
  }

  private handleSnapshot(socket: WebSocket, raw: unknown): void {
    this.snapshots = this.snapshots
      .then(() => this.handlers.onSnapshot(raw))
      .then((answer) => this.send(socket, answer))
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'snapshot handling failed'));
  }

  private onClose(socket: WebSocket, ending: Ending, detail: { code: number; reason: string; error: string | undefined } | { status: number }): void {
    if (socket !== this.socket) return;
    this.socket = undefined;
    if (this.stopped) return;
    const delay = this.nextDelay(ending);
    const servingRevision = this.handlers.hello().revision;
    const log = { ...detail, url: this.options.url, retryInMs: delay, servingRevision };
    if (ending === 'refused') {
      const why = 'status' in detail ? `HTTP ${detail.status} at the handshake` : `close ${detail.code} "${detail.reason}"`;
      const hint = REFUSALS.get('status' in detail ? CLOSE_CODES.unauthorized : detail.code) ?? '';
      this.options.logger.error(log, `control plane refused this agent: ${why}, ${hint}; still serving revision ${servingRevision ?? 'none'} from its last good snapshot`);
    } else if ('status' in detail && detail.status === 503) {
      this.options.logger.warn(log, 'control plane unavailable (503, e.g. its database is down); retrying on the normal backoff');
    } else {
      this.options.logger.warn(log, 'control channel closed');
    }
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private nextDelay(ending: Ending): number {
    if (ending === 'refused') return Math.floor(this.options.refusedRetryMs * (0.5 + Math.random()));
    if (ending === 'welcomed') this.failures = 0;
    const delay = backoffDelay(this.failures, this.options.backoff);
    this.failures += 1;
    return delay;
  }

  private send(socket: WebSocket, message: AgentMessage): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
