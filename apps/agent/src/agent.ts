import { hostname } from 'node:os';
import { PROTOCOL_VERSION } from '@switchboard/protocol';
import type { HelloMessage, StatsMessage } from '@switchboard/protocol';
import type { Logger } from 'pino';
import { AdminServer } from './admin/admin-server';
import { createMetrics } from './admin/metrics';
import { ConfigState } from './config/config-state';
import { CounterRegistry } from './config/member-counters';
import { SnapshotCache } from './config/snapshot-cache';
import { DEFAULT_BACKOFF } from './control/backoff';
import type { BackoffOptions } from './control/backoff';
import { ControlClient } from './control/control-client';
import type { SnapshotAnswer } from './control/control-client';
import { TunnelCloses } from './drain/tunnel-closes';
import { ProxyServer } from './proxy/proxy-server';
import type { AgentSettings } from './settings';
import { AGENT_VERSION } from './version';

/** Tunables that are not environment variables (tests shorten them); times in milliseconds. */
export interface AgentOptions {
  readonly logger: Logger;
  /** Control-channel ping period (default 10 s; dead after two missed pongs). */
  readonly heartbeatIntervalMs?: number;
  /** Reconnect backoff (default 250 ms doubling to 10 s, full jitter). */
  readonly backoff?: BackoffOptions;
  /** Reconnect delay after the control plane refused the agent (default 30 s, ±50 %). */
  readonly refusedRetryMs?: number;
  /** How long shutdown lets requests and tunnels finish before cutting them (default 2 s). */
  readonly shutdownGraceMs?: number;
}

/** The ports the agent bound (the real ones when 0 was asked). */
export interface BoundPorts {
  readonly port: number;
  readonly adminPort: number;
}

/** Longest nack reason the protocol accepts, in characters. */
const MAX_REASON = 4000;

/**
 * One agent process: the served configuration (from the disk cache at start, then from the
 * control plane), the proxy port, the admin port and the control channel, wired together.
 * main.ts runs one; tests run several in-process.
 */
export class Agent {
  /** The configuration served now (read by the proxy per request). */
  readonly state = new ConfigState(new CounterRegistry());
  private readonly cache: SnapshotCache;
  private readonly proxy: ProxyServer;
  private readonly admin: AdminServer;
  private readonly control: ControlClient;
  private readonly logger: Logger;
  /** Paced drains and rebalances of open tunnels. */
  private readonly closes: TunnelCloses;

  constructor(
    private readonly settings: AgentSettings,
    private readonly options: AgentOptions,
  ) {
    this.logger = options.logger;
    this.closes = new TunnelCloses(this.state, this.logger);
    this.cache = new SnapshotCache(settings.cacheDir);
    this.proxy = new ProxyServer(this.state, this.logger, { requestHeaderMs: settings.requestHeaderMs, maxHeaderBytes: settings.maxHeaderBytes });
    this.control = new ControlClient(
      {
        url: settings.controlUrl,
        token: settings.token,
        statsIntervalMs: settings.statsIntervalMs,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 10_000,
        backoff: options.backoff ?? DEFAULT_BACKOFF,
        refusedRetryMs: options.refusedRetryMs ?? 30_000,
        logger: this.logger,
      },
      { hello: () => this.hello(), onSnapshot: (raw) => this.onSnapshot(raw), stats: () => this.stats() },
    );
    this.admin = new AdminServer(this.state, createMetrics(this.state, this.control));
  }

  /**
   * Serves the cached snapshot if there is a valid one, opens both ports, logs
   * `{"msg":"listening","port":…,"adminPort":…}` and starts the control channel.
   * Rejects when a port cannot be bound.
   */
  async start(): Promise<BoundPorts> {
    await this.loadCache();
    const proxy = await this.proxy.listen(this.settings.listen);
    const admin = await this.admin.listen(this.settings.adminListen);
    const ports = { port: proxy.port, adminPort: admin.port };
    this.logger.info({ ...ports, host: proxy.address, adminHost: admin.address, revision: this.state.current?.revision ?? null }, 'listening');
    this.control.start();
    return ports;
  }

  /** Closes the control channel and the admin port, and shuts the proxy down (see ProxyServer.close). */
  async stop(): Promise<void> {
    this.control.stop();
    this.closes.stop();
    await Promise.all([this.proxy.close(this.options.shutdownGraceMs ?? 2_000), this.admin.close()]);
  }

  private async loadCache(): Promise<void> {
    let raw: unknown;
    try {
      raw = await this.cache.load();
    } catch (error) {
      this.logger.warn({ err: error, file: this.cache.path }, 'snapshot cache unreadable; starting without configuration');
      return;
    }
    if (raw === null) {
      this.logger.info({ file: this.cache.path }, 'no cached snapshot; waiting for the control plane');
      return;
    }
    const outcome = this.state.offer(raw, 'cache');
    if (outcome.result === 'rejected') this.logger.warn({ file: this.cache.path, reason: outcome.reason }, 'cached snapshot ignored');
    else this.logger.info({ revision: outcome.revision, hash: outcome.hash }, 'serving cached snapshot');
    if (outcome.result === 'applied') this.closes.apply();
  }

  /** Applies a snapshot from the control plane, caches it when it changed what is served, and answers ack or nack. */
  private async onSnapshot(raw: unknown): Promise<SnapshotAnswer> {
    const before = this.state.current?.revision;
    const outcome = this.state.offer(raw, 'control-plane');
    if (outcome.result === 'rejected') {
      this.logger.warn({ revision: outcome.revision, reason: outcome.reason }, 'snapshot rejected');
      return { type: 'nack', revision: outcome.revision, reason: outcome.reason.slice(0, MAX_REASON) };
    }
    this.logger.info({ revision: outcome.revision, hash: outcome.hash, result: outcome.result }, 'snapshot accepted');
    if (outcome.result === 'applied') this.closes.apply();
    if (outcome.result === 'applied' || outcome.revision !== before) await this.saveCache();
    return { type: 'ack', revision: outcome.revision, hash: outcome.hash };
  }

  /** Writes the served snapshot to the disk cache; a failure is logged, not fatal (the snapshot is served anyway). */
  private async saveCache(): Promise<void> {
    const current = this.state.current!;
    try {
      await this.cache.save({ revision: current.revision, hash: current.hash, config: current.rawConfig });
    } catch (error) {
      this.logger.error({ err: error, file: this.cache.path }, 'snapshot cache write failed');
    }
  }

  private hello(): HelloMessage {
    const current = this.state.current;
    return {
      type: 'hello',
      protocolVersion: PROTOCOL_VERSION,
      agent: { name: this.settings.name, hostname: hostname(), version: AGENT_VERSION },
      revision: current?.revision ?? null,
      hash: current?.hash ?? null,
    };
  }

  private stats(): StatsMessage {
    const current = this.state.current;
    const members = (current?.runtime.balancers ?? []).flatMap((balancer) =>
      balancer.members.map(({ id, counters }) => ({
        balancerId: balancer.id,
        memberId: id,
        openTunnels: counters.openTunnels,
        inflightRequests: counters.inflightRequests,
        elected: counters.elected,
        bytesIn: counters.bytesIn,
        bytesOut: counters.bytesOut,
        failures: counters.failures,
        health: counters.health,
        closedByAgent: counters.closedByAgent,
      })),
    );
    return { type: 'stats', revision: current?.revision ?? null, members };
  }
}
