import { hostname } from 'node:os';
import { PROTOCOL_VERSION } from '@switchboard/protocol';
import type { HelloMessage, StatsMessage } from '@switchboard/protocol';
import type { Logger } from 'pino';
import { AdminServer } from './admin/admin-server';
import type { BoundAddress } from './cluster/messages';
import { WorkerPool } from './cluster/worker-pool';
import { createMetrics } from './admin/metrics';
import { ConfigState } from './config/config-state';
import { CounterRegistry } from './config/member-counters';
import type { RuntimeMember } from './config/runtime';
import { SnapshotCache } from './config/snapshot-cache';
import { DEFAULT_BACKOFF } from './control/backoff';
import type { BackoffOptions } from './control/backoff';
import { ControlClient } from './control/control-client';
import type { SnapshotAnswer } from './control/control-client';
import { TunnelCloses } from './drain/tunnel-closes';
import { HealthChecks } from './health/health-checks';
import { listenerLimits, ProxyServer } from './proxy/proxy-server';
import { isInsecureRemoteControl, loadServerCredentials } from './settings';
import type { AgentSettings } from './settings';
import { createUpstreamTrust } from './tls/upstream-tls';
import { AGENT_VERSION } from './version';

/** Tunables that are not environment variables (tests shorten them); times in milliseconds. */
export interface AgentOptions {
  readonly logger: Logger;
  /** Control-channel ping period (default 10 s; dead after two missed pongs). */
  readonly heartbeatIntervalMs?: number;
  /** Reconnect backoff (default 250 ms doubling to 10 s, full jitter). */
  readonly backoff?: BackoffOptions;
  /** Reconnect delay after the control plane refused the agent (default: settings.refusedRetryMs, ±50 %). */
  readonly refusedRetryMs?: number;
  /** How long shutdown lets requests and tunnels finish before cutting them (default 2 s). */
  readonly shutdownGraceMs?: number;
}

/** The ports the agent bound (the real ones when 0 was asked). */
export interface BoundPorts {
  readonly port: number;
  readonly adminPort: number;
  /** The TLS listener's port, or null when SWITCHBOARD_TLS_PORT is unset. */
  readonly tlsPort: number | null;
}

/** Longest nack reason the protocol accepts, in characters. */
const MAX_REASON = 4000;

/**
 * One agent: the served configuration (from the disk cache at start, then from the control
 * plane), the proxy port, the admin port and the control channel, wired together. With
 * SWITCHBOARD_WORKERS > 1 this is the primary process: the proxy port is served by a WorkerPool
 * and the counters hold the workers' sums. main.ts runs one; tests run several in-process.
 */
export class Agent {
  private readonly counters = new CounterRegistry();
  /** The configuration served now (read by the proxy per request). */
  readonly state: ConfigState;
  private readonly cache: SnapshotCache;
  /** The proxy when this process serves it, else the workers that do. */
  private readonly proxy: ProxyServer | WorkerPool;
  private readonly admin: AdminServer;
  private readonly control: ControlClient;
  private readonly health: HealthChecks;
  private readonly logger: Logger;
  /** Paced drains and rebalances of open tunnels. */
  /** Paced drains and rebalances of this process's tunnels; null in a primary (its workers hold the tunnels). */
  private readonly closes: TunnelCloses | null;

  constructor(
    private readonly settings: AgentSettings,
    private readonly options: AgentOptions,
  ) {
    this.logger = options.logger;
    this.state = new ConfigState(this.counters, { upstreamTrust: createUpstreamTrust(settings.upstreamCa?.pem ?? null) });
    this.closes = settings.workers > 1 ? null : new TunnelCloses(this.state, this.logger);
    this.cache = new SnapshotCache(settings.cacheDir);
    this.health = new HealthChecks(this.logger, settings.workers > 1 ? (member) => this.publishHealth(member) : undefined);
    this.proxy = settings.workers > 1 ? new WorkerPool(settings.workers, this.counters, this.logger) : new ProxyServer(this.state, this.logger, listenerLimits(settings), settings.tls, settings.clients);
    this.control = new ControlClient(
      {
        url: settings.controlUrl,
        token: settings.token,
        ...(settings.controlCa ? { ca: settings.controlCa.pem } : {}),
        statsIntervalMs: settings.statsIntervalMs,
        heartbeatIntervalMs: options.heartbeatIntervalMs ?? 10_000,
        backoff: options.backoff ?? DEFAULT_BACKOFF,
        refusedRetryMs: options.refusedRetryMs ?? settings.refusedRetryMs,
        logger: this.logger,
      },
      { hello: () => this.hello(), onSnapshot: (raw) => this.onSnapshot(raw), stats: () => this.stats() },
    );
    this.admin = new AdminServer(this.state, createMetrics(this.state, this.control), settings.adminToken);
  }

  /**
   * Serves the cached snapshot if there is a valid one, opens the ports (proxy, TLS proxy when
   * configured, admin), logs `{"msg":"listening","port":…,"adminPort":…,"tlsPort":…}` and starts
   * the control channel. Rejects when a port cannot be bound.
   */
  async start(): Promise<BoundPorts> {
    await this.loadCache();
    const { proxy, tls } = await this.listenProxy();
    const admin = await this.admin.listen(this.settings.adminListen);
    const ports = { port: proxy.port, adminPort: admin.port, tlsPort: tls?.port ?? null };
    const hosts = { host: proxy.address, adminHost: admin.address, tlsHost: tls?.address ?? null };
    this.logger.info({ ...ports, ...hosts, workers: this.settings.workers, revision: this.state.current?.revision ?? null }, 'listening');
    if (isInsecureRemoteControl(this.settings.controlUrl)) this.logger.warn({ url: this.settings.controlUrl }, 'control channel is not encrypted (SWITCHBOARD_ALLOW_INSECURE_CONTROL=1): the agent token crosses the network in clear');
    this.control.start();
    return ports;
  }

  /**
   * Reads the TLS listener's certificate and key files again (SIGHUP, after a renewal) and serves
   * new handshakes with them; open connections keep the old ones. Returns false (logged, the
   * current certificate kept) when a file is unreadable or invalid, or no TLS listener is configured.
   */
  reloadTlsCredentials(): boolean {
    const tls = this.settings.tls;
    if (!tls) return false;
    try {
      const credentials = loadServerCredentials(tls.cert.file, tls.key.file);
      if (this.proxy instanceof WorkerPool) this.proxy.reloadTls();
      else this.proxy.setCredentials(credentials);
    } catch (error) {
      this.logger.error({ reason: (error as Error).message }, 'TLS certificate reload failed; serving the previous one');
      return false;
    }
    this.logger.info({ certFile: tls.cert.file, keyFile: tls.key.file }, 'TLS certificate reloaded');
    return true;
  }

  /** With workers: passes a member's health, as an active check just set it, on to every worker. */
  private publishHealth(member: RuntimeMember): void {
    const { health, healthReason } = member.counters;
    if (this.proxy instanceof WorkerPool && health !== 'unknown') this.proxy.setHealth(member.id, health, healthReason);
  }

  /** Opens the proxy listeners here, or has the workers open them. */
  private async listenProxy(): Promise<{ proxy: BoundAddress; tls: BoundAddress | null }> {
    if (this.proxy instanceof WorkerPool) return this.proxy.start();
    const proxy = await this.proxy.listen(this.settings.listen);
    const tls = this.settings.tls ? await this.proxy.listenTls(this.settings.tls.listen) : null;
    return { proxy, tls };
  }

  /** Stops the health checks, closes the control channel and the admin port, and shuts the proxy down (see ProxyServer.close). */
  async stop(): Promise<void> {
    this.health.stop();
    this.control.stop();
    this.closes?.stop();
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
    if (outcome.result === 'rejected') {
      this.logger.warn({ file: this.cache.path, reason: outcome.reason }, 'cached snapshot ignored');
      return;
    }
    this.health.reconcile(this.state.current!.runtime);
    this.logger.info({ revision: outcome.revision, hash: outcome.hash }, 'serving cached snapshot');
    this.warnInsecureTls();
    this.closes?.apply();
    if (this.proxy instanceof WorkerPool) this.proxy.publish(raw);
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
    if (outcome.result === 'applied') {
      this.warnInsecureTls();
      this.health.reconcile(this.state.current!.runtime);
      this.closes?.apply();
    }
    if (this.proxy instanceof WorkerPool) this.proxy.publish(raw);
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

  /** Once per applied snapshot: a warning naming each balancer whose https/wss members are not verified (tls.insecureSkipVerify). */
  private warnInsecureTls(): void {
    for (const balancer of this.state.current?.runtime.balancers ?? []) {
      const members = balancer.members.filter((member) => member.target.tls?.rejectUnauthorized === false).map((member) => member.id);
      if (members.length > 0) this.logger.warn({ balancerId: balancer.id, balancer: balancer.name, members }, `balancer ${balancer.name}: member certificates are not verified (tls.insecureSkipVerify)`);
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
        healthReason: counters.healthReason,
        closedByAgent: counters.closedByAgent,
      })),
    );
    return { type: 'stats', revision: current?.revision ?? null, members };
  }
}
