import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CHANNEL_PATH, CLOSE_CODES, PROTOCOL_VERSION, type AgentMessage, type SnapshotConfig, type StatsMessage } from '@switchboard/protocol';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Subscription } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { AuthService } from '../auth/auth.service';
import { Revocations } from '../auth/revocations.service';
import { bearerToken } from '../auth/secrets';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from '../common/database-errors';
import type { Env } from '../config/env';
import { ENV } from '../config/settings.module';
import { MetricsService } from '../metrics/metrics.service';
import { RevisionFeed } from '../revisions/revision-feed.service';
import { RevisionsService, type RevisionView } from '../revisions/revisions.service';
import { StatsService } from '../stats/stats.service';
import { AgentSession, type SessionHost } from './agent-session';
import { AgentNameConflict, AgentsService } from './agents.service';
import { TokenBucket } from './token-bucket';

/** Interval of ws pings; an agent that misses one pong is terminated (ms). */
const HEARTBEAT_MS = 10_000;
/** Largest control message accepted from an agent (bytes). */
const MAX_PAYLOAD = 4 * 1024 * 1024;
/** Stats messages an agent may send at once before SWITCHBOARD_AGENT_STATS_RATE applies. */
const STATS_BURST = 5;
/** Time agents get to answer the close of a shutting-down control plane before their sockets are cut (ms). */
const GOING_AWAY_MS = 1_000;

/**
 * The agents' WebSocket control channel at ws://HOST:PORT/agents/connect, on the API's own HTTP
 * server. The agent token is checked during the upgrade (401 before any WebSocket exists); after
 * `hello` the agent gets `welcome` and, when it is behind, the latest snapshot; every new revision
 * (from RevisionFeed, so also those written through other replicas) is pushed to every agent.
 * A name is bound to its agent token (close 4409 for another token); revoking the token closes its
 * channels on every replica (close 4403). Stats are rate-limited per channel and may only name
 * members of the snapshot last sent on it. Shutdown closes every channel with 1001.
 */
@Injectable()
export class AgentsGateway implements OnApplicationBootstrap, OnModuleDestroy, SessionHost {
  private readonly logger = new Logger('AgentsGateway');
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  private readonly sessions = new Set<AgentSession>();
  private heartbeat: NodeJS.Timeout | null = null;
  private feed: Subscription | null = null;
  private revoked: Subscription | null = null;
  /** Agent tokens this replica heard revoked: a hello racing the announcement is refused too. */
  private readonly revokedTokens = new Set<string>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
    private readonly revisions: RevisionsService,
    private readonly revisionFeed: RevisionFeed,
    private readonly stats: StatsService,
    private readonly metrics: MetricsService,
    private readonly revocations: Revocations,
    @Inject(ENV) private readonly env: Env,
  ) {}

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(request, socket, head));
    this.feed = this.revisionFeed.revisions.subscribe(() => void this.broadcastLatest());
    this.revoked = this.revocations.agentTokensRevoked(() => [...this.sessions].map((s) => s.tokenId)).subscribe((ids) => this.closeRevoked(ids));
    this.heartbeat = setInterval(() => this.ping(), HEARTBEAT_MS);
  }

  /**
   * Refuses new channels (503, from ws once closed) and closes every open one (also those still
   * before hello) with 1001, so agents reconnect to another replica at once; sockets that do not
   * finish the close within GOING_AWAY_MS are cut.
   */
  async onModuleDestroy(): Promise<void> {
    this.feed?.unsubscribe();
    this.revoked?.unsubscribe();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.wss.close();
    await Promise.all([...this.wss.clients].map((ws) => goAway(ws)));
  }

  async onHello(session: AgentSession, hello: Extract<AgentMessage, { type: 'hello' }>): Promise<void> {
    try {
      session.agentId = await this.agents.register(hello, session.tokenId);
    } catch (error) {
      if (!(error instanceof AgentNameConflict)) throw error;
      this.logger.warn(`refused agent ${hello.agent.name}: ${error.message}`);
      return session.close(CLOSE_CODES.nameConflict, `agent name ${hello.agent.name} is bound to another agent token`);
    }
    if (this.revokedTokens.has(session.tokenId)) return session.close(CLOSE_CODES.credentialRevoked, 'agent token revoked');
    this.sessions.add(session);
    this.metrics.agentsConnected.set(this.sessions.size);
    session.send({ type: 'welcome', agentId: session.agentId, protocolVersion: PROTOCOL_VERSION });
    this.logger.log(`agent ${hello.agent.name} (${session.agentId}) connected at revision ${hello.revision ?? 'none'}`);
    const latest = await this.revisions.latest();
    if (hello.hash === latest.hash) {
      session.sentRevision = latest.number;
      session.sentMembers = memberIndex(latest.config);
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
        return this.recordStats(session, agentId, message);
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

  /**
   * Writes admitted stats (SWITCHBOARD_AGENT_STATS_RATE, burst STATS_BURST): over the rate, the
   * message is dropped before any SQL; figures for members it was not sent are dropped by
   * StatsService. Each kind of drop is logged once per channel and counted always.
   */
  private async recordStats(session: AgentSession, agentId: string, message: StatsMessage): Promise<void> {
    if (!session.statsBucket.take()) {
      this.metrics.statsDropped.inc({ reason: 'rate_limited' });
      this.warnOnce(session, 'rate', `agent ${agentId} sends stats faster than ${this.env.SWITCHBOARD_AGENT_STATS_RATE}/s; the excess is dropped (switchboard_agent_stats_dropped_total)`);
      return;
    }
    const dropped = await this.stats.record(agentId, message, session.sentMembers);
    this.metrics.statsRecorded.inc();
    if (dropped.length === 0) return;
    this.metrics.statsDropped.inc({ reason: 'unknown_member' }, dropped.length);
    const named = dropped.slice(0, 5).join(', ') + (dropped.length > 5 ? `, … (${dropped.length})` : '');
    this.warnOnce(session, 'members', `agent ${agentId} sent figures for members not in revision ${session.sentRevision ?? 'none'} it was sent (${named}); dropped`);
  }

  private warnOnce(session: AgentSession, kind: string, message: string): void {
    if (session.warned.has(kind)) return;
    session.warned.add(kind);
    this.logger.warn(message);
  }

  /** Closes, with 4403, every channel of this replica opened with one of the revoked agent tokens `ids`. */
  private closeRevoked(ids: string[]): void {
    for (const id of ids) this.revokedTokens.add(id);
    for (const session of this.sessions) {
      if (!ids.includes(session.tokenId)) continue;
      this.logger.warn(`agent ${session.agentId ?? '?'}: its agent token ${session.tokenId} was revoked; closing its channel (${CLOSE_CODES.credentialRevoked})`);
      session.close(CLOSE_CODES.credentialRevoked, 'agent token revoked');
    }
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path !== CHANNEL_PATH) return refuse(socket, 404, 'Not Found', `no WebSocket endpoint at ${path}`);
    const token = bearerToken(request.headers.authorization);
    let tokenId: string | null;
    try {
      tokenId = token ? await this.auth.verifyAgentToken(token) : null;
    } catch (error) {
      // A token that cannot be checked now (database down) is not a refused one: 503, so the agent retries on its normal backoff.
      return this.refuseUnchecked(socket, error);
    }
    if (!tokenId) return refuse(socket, 401, 'Unauthorized', token ? 'unknown or revoked agent token' : 'missing agent token');
    const bucket = new TokenBucket(this.env.SWITCHBOARD_AGENT_STATS_RATE, STATS_BURST);
    this.wss.handleUpgrade(request, socket, head, (ws) => new AgentSession(ws, this, tokenId, bucket));
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
    session.sentMembers = memberIndex(revision.config);
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

/** memberId → balancerId of every member of `config`. */
function memberIndex(config: SnapshotConfig): Map<string, string> {
  return new Map(config.balancers.flatMap((b) => b.members.map((m) => [m.id, b.id] as const)));
}

/** Closes `ws` with 1001 and waits for the close handshake, cutting the socket after GOING_AWAY_MS. */
function goAway(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const cut = setTimeout(() => ws.terminate(), GOING_AWAY_MS);
    ws.once('close', () => {
      clearTimeout(cut);
      resolve();
    });
    ws.close(1001, 'control plane shutting down');
  });
}

/** Problem type and headers of a 503 upgrade answer, as ProblemFilter gives the REST API. */
const UNAVAILABLE = { type: 'urn:switchboard:problem:unavailable', headers: `Retry-After: ${RETRY_AFTER_SECONDS}\r\n` };

/** Answers an upgrade with a plain HTTP error (problem+json) and closes the socket. */
function refuse(socket: Duplex, status: number, reason: string, detail: string, extra: { type: string; headers: string } = { type: 'about:blank', headers: '' }): void {
  const body = JSON.stringify({ type: extra.type, title: reason, status, detail });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra.headers}Connection: close\r\n\r\n${body}`);
}
