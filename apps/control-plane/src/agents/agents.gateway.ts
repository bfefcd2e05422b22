import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PROTOCOL_VERSION, type AgentMessage } from '@switchboard/protocol';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Subscription } from 'rxjs';
import { WebSocketServer } from 'ws';
import { AuthService } from '../auth/auth.service';
import { bearerToken } from '../auth/secrets';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../common/database-errors';
import { MetricsService } from '../metrics/metrics.service';
import { RevisionFeed } from '../revisions/revision-feed.service';
import { RevisionsService, type RevisionView } from '../revisions/revisions.service';
import { StatsService } from '../stats/stats.service';
import { AgentSession, type SessionHost } from './agent-session';
import { AgentsService } from './agents.service';

/** Path of the control channel on the control plane's HTTP port. */
export const AGENT_CHANNEL_PATH = '/agents/connect';
/** Interval of ws pings; an agent that misses one pong is terminated (ms). */
const HEARTBEAT_MS = 10_000;
/** Largest control message accepted from an agent (bytes). */
const MAX_PAYLOAD = 4 * 1024 * 1024;

/**
 * The agents' WebSocket control channel at ws://HOST:PORT/agents/connect, on the API's own HTTP
 * server. The agent token is checked during the upgrade (401 before any WebSocket exists); after
 * `hello` the agent gets `welcome` and, when it is behind, the latest snapshot; every new revision
 * (from RevisionFeed, so also those written through other replicas) is pushed to every agent.
 */
@Injectable()
export class AgentsGateway implements OnApplicationBootstrap, OnModuleDestroy, SessionHost {
  private readonly logger = new Logger('AgentsGateway');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  private readonly sessions = new Set<AgentSession>();
  private heartbeat: NodeJS.Timeout | null = null;
  private feed: Subscription | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
    private readonly revisions: RevisionsService,
    private readonly revisionFeed: RevisionFeed,
    private readonly stats: StatsService,
    private readonly metrics: MetricsService,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(request, socket, head));
    this.feed = this.revisionFeed.revisions.subscribe(() => void this.broadcastLatest());
    this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
  }

  onModuleDestroy(): void {
    this.feed?.unsubscribe();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const session of this.sessions) session.socket.terminate();
    this.wss.close();
  }

  async onHello(session: AgentSession, hello: Extract<AgentMessage, { type: 'hello' }>): Promise<void> {
    session.agentId = await this.agents.register(hello);
    this.sessions.add(session);
    this.metrics.agentsConnected.set(this.sessions.size);
    session.send({ type: 'welcome', agentId: session.agentId, protocolVersion: PROTOCOL_VERSION });
    this.logger.log(`agent ${hello.agent.name} (${session.agentId}) connected at revision ${hello.revision ?? 'none'}`);
    const latest = await this.revisions.latest();
    if (hello.hash === latest.hash) {
      session.sentRevision = latest.number;
      await this.agents.acked(session.agentId, hello.revision ?? latest.number, latest.hash);
      return;
    }
    this.sendSnapshot(session, latest);
  }

  async onMessage(session: AgentSession, message: Exclude<AgentMessage, { type: 'hello' }>): Promise<void> {
    const agentId = session.agentId as string;
    switch (message.type) {
      case 'ack':
        return this.agents.acked(agentId, message.revision, message.hash);
      case 'nack':
        this.metrics.nacks.inc();
        this.logger.warn(`agent ${agentId} rejected revision ${message.revision}: ${message.reason}`);
        return this.agents.nacked(agentId, message.revision, message.reason);
      case 'stats':
        return this.stats.record(agentId, message);
    }
  }

  onClose(session: AgentSession): void {
    if (!this.sessions.delete(session) || !session.agentId) return;
    this.metrics.agentsConnected.set(this.sessions.size);
    this.logger.log(`agent ${session.agentId} disconnected`);
    void this.agents.disconnected(session.agentId).catch(() => undefined);
  }

  countInvalid(): void {
    this.metrics.invalidMessages.inc();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path !== AGENT_CHANNEL_PATH) return refuse(socket, 404, 'Not Found', `no WebSocket endpoint at ${path}`);
    const token = bearerToken(request.headers.authorization);
    let tokenId: string | null;
    try {
      tokenId = token ? await this.auth.verifyAgentToken(token) : null;
    } catch (error) {
      // A token that cannot be checked now (database down) is not a refused one: 503, so the agent retries on its normal backoff.
      return this.refuseUnchecked(socket, error);
    }
    if (!tokenId) return refuse(socket, 401, 'Unauthorized', token ? 'unknown or revoked agent token' : 'missing agent token');
    this.wss.handleUpgrade(request, socket, head, (ws) => new AgentSession(ws, this));
  }

  private refuseUnchecked(socket: Duplex, error: unknown): void {
    if (isDatabaseUnavailable(error)) return refuse(socket, 503, 'Service Unavailable', 'the database is unavailable, so the agent token cannot be checked; retry later', UNAVAILABLE);
    this.logger.error(`checking an agent token failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    refuse(socket, 500, 'Internal Server Error', 'internal error; see the control plane log');
  }

  private async broadcastLatest(): Promise<void> {
    const latest = await this.revisions.latest().catch(() => null);
    if (!latest) return;
    for (const session of this.sessions) if (session.sentRevision !== latest.number) this.sendSnapshot(session, latest);
  }

  private sendSnapshot(session: AgentSession, revision: RevisionView): void {
    session.sentRevision = revision.number;
    session.send({ type: 'snapshot', revision: revision.number, hash: revision.hash, config: revision.config });
    this.metrics.snapshotsSent.inc();
  }

  private ping(): void {
    for (const session of this.sessions) {
      if (!session.alive) {
        session.socket.terminate();
        continue;
      }
      session.alive = false;
      session.socket.ping();
    }
  }
}

/** Problem type and headers of a 503 upgrade answer, as ProblemFilter gives the REST API. */
const UNAVAILABLE = { type: 'urn:switchboard:problem:unavailable', headers: `Retry-After: ${RETRY_AFTER_SECONDS}\r\n` };

/** Answers an upgrade with a plain HTTP error (problem+json) and closes the socket. */
function refuse(socket: Duplex, status: number, reason: string, detail: string, extra: { type: string; headers: string } = { type: 'about:blank', headers: '' }): void {
  const body = JSON.stringify({ type: extra.type, title: reason, status, detail });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra.headers}Connection: close\r\n\r\n${body}`);
}
