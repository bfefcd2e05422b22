import { Logger } from '@nestjs/common';
import { agentMessage, CLOSE_CODES, describeIssues, PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type AgentMessage, type ControlMessage } from '@switchboard/protocol';
import type { WebSocket } from 'ws';
import { isDatabaseUnavailable } from '../common/database-errors';
import type { TokenBucket } from './token-bucket';

/** What a session needs from the control plane; implemented by AgentsGateway. */
export interface SessionHost {
  onHello(session: AgentSession, message: Extract<AgentMessage, { type: 'hello' }>): Promise<void>;
  onMessage(session: AgentSession, message: Exclude<AgentMessage, { type: 'hello' }>): Promise<void>;
  onClose(session: AgentSession): void;
  countInvalid(reason: string): void;
}

/** At most one log line per this many ms per session about messages dropped for lack of a database. */
const UNAVAILABLE_LOG_EVERY_MS = 10_000;
/** Time an agent has to send hello after the upgrade (ms). */
const HELLO_TIMEOUT_MS = 5_000;

/**
 * One agent's control-channel connection: validates every frame with the protocol's zod schemas,
 * requires `hello` first (close 4400 otherwise, 4426 for an unsupported protocol version), and
 * hands later messages to the host. Invalid frames after hello are logged and counted, not fatal.
 */
export class AgentSession {
  agentId: string | null = null;
  /** Revision last sent, so a replay of the same revision is not sent twice. */
  sentRevision: number | null = null;
  /** memberId → balancerId of the snapshot last sent: the only members its stats may name. */
  sentMembers: ReadonlyMap<string, string> = new Map();
  /** Warnings already logged for this channel (one each, the metric counts the rest). */
  readonly warned = new Set<string>();
  alive = true;
  private readonly logger = new Logger('AgentSession');
  private readonly helloTimer: NodeJS.Timeout;
  private lastUnavailableLog = 0;

  /**
   * @param tokenId the agent token the upgrade was authenticated with.
   * @param statsBucket admits `stats` messages (rate limit); the others are always handled.
   */
  constructor(
    readonly socket: WebSocket,
    private readonly host: SessionHost,
    readonly tokenId: string,
    readonly statsBucket: TokenBucket,
  ) {
    this.helloTimer = setTimeout(() => this.close(CLOSE_CODES.badMessage, 'no hello received'), HELLO_TIMEOUT_MS);
    socket.on('message', (data, isBinary) => this.receive(isBinary ? null : data.toString()));
    socket.on('pong', () => (this.alive = true));
    socket.on('close', () => {
      clearTimeout(this.helloTimer);
      host.onClose(this);
    });
    socket.on('error', (error) => this.logger.warn(`agent ${this.agentId ?? '(before hello)'}: ${error.message}`));
  }

  /** Sends one control message; a no-op once the socket is closing. */
  send(message: ControlMessage): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /** Closes with `code`; the reason is cut to the 123 bytes a close frame can carry (RFC 6455 §5.5). */
  close(code: number, reason: string): void {
    this.socket.close(code, closeReason(reason));
  }

  private receive(text: string | null): void {
    const message = parse(text);
    if (!message.ok) {
      this.host.countInvalid(message.reason);
      this.logger.warn(`agent ${this.agentId ?? '(before hello)'} sent an invalid message: ${message.reason}`);
      if (!this.agentId) this.close(CLOSE_CODES.badMessage, 'first message must be a valid hello');
      return;
    }
    void this.dispatch(message.value).catch((error: unknown) => this.failed(message.value.type, error));
  }

  /** Logs a message that could not be handled; while the database is down, one short line per UNAVAILABLE_LOG_EVERY_MS (stats come every second). */
  private failed(type: AgentMessage['type'], error: unknown): void {
    if (!isDatabaseUnavailable(error)) {
      this.logger.error(`handling ${type} from agent ${this.agentId ?? '?'} failed: ${String(error)}`);
      return;
    }
    if (Date.now() - this.lastUnavailableLog < UNAVAILABLE_LOG_EVERY_MS) return;
    this.lastUnavailableLog = Date.now();
    this.logger.warn(`${type} from agent ${this.agentId ?? '?'} dropped: the database is unavailable (further ones not logged for ${UNAVAILABLE_LOG_EVERY_MS / 1000} s)`);
  }

  private async dispatch(message: AgentMessage): Promise<void> {
    if (message.type === 'hello') {
      if (this.agentId) return this.host.countInvalid('second hello');
      clearTimeout(this.helloTimer);
      if (!SUPPORTED_PROTOCOL_VERSIONS.includes(message.protocolVersion)) {
        return this.close(CLOSE_CODES.unsupportedProtocol, `protocol ${message.protocolVersion} unsupported; this control plane speaks ${PROTOCOL_VERSION}`);
      }
      return this.host.onHello(this, message);
    }
    if (!this.agentId) return this.close(CLOSE_CODES.badMessage, 'first message must be hello');
    return this.host.onMessage(this, message);
  }
}

function closeReason(text: string): string {
  const bytes = Buffer.from(text);
  return bytes.length <= 123 ? text : bytes.subarray(0, 120).toString().replace(/\uFFFD$/, '') + '...';
}

function parse(text: string | null): { ok: true; value: AgentMessage } | { ok: false; reason: string } {
  if (text === null) return { ok: false, reason: 'binary frame' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const result = agentMessage.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: describeIssues(result.error) };
}
