import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import type { Logger } from 'pino';
import type { CounterRegistry } from '../config/member-counters';
import { applySum, loadOf, peerLoad } from './counter-sums';
import type { BoundAddress, FromWorker, MemberReport, PeerLoad, ToWorker } from './messages';
import { SYNC_INTERVAL_MS } from './messages';

/** Delay before a crashed worker is forked again (ms), so a worker that dies at start does not spin. */
const RESPAWN_DELAY_MS = 500;

/**
 * The primary's side of SWITCHBOARD_WORKERS > 1 (Node's cluster module, the listener shared by
 * every worker, as NGINX's worker_processes): forks the workers, sends each the snapshot the
 * primary serves, sums their member figures into the primary's counters (so stats, /metrics and
 * /config show the agent as one), and every SYNC_INTERVAL_MS tells each worker the load the
 * others hold on every member, so bybusyness, p2c, bytraffic and maxTunnelsPerMember compare
 * figures for the whole agent, at most about two sync intervals old. A worker that dies is forked again.
 */
export class WorkerPool {
  private readonly reports = new Map<number, Map<string, MemberReport>>();
  /** Workers listening now, by cluster worker id. */
  private readonly listening = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Whether a report or an exit changed the figures since the last sync. */
  private dirty = false;
  private snapshot: unknown = null;
  /** The latest active-check verdict per member id, sent to workers forked later too. */
  private readonly checked = new Map<string, Extract<ToWorker, { t: 'health' }>>();

  constructor(
    private readonly size: number,
    private readonly counters: CounterRegistry,
    private readonly logger: Logger,
  ) {
    // Workers accept on the shared socket themselves (the kernel spreads connections), unless
    // NODE_CLUSTER_SCHED_POLICY=rr asks for Node's round robin, where the primary accepts every
    // connection and hands it over: in the bench that cost about a third of the upgrade rate.
    if (process.env['NODE_CLUSTER_SCHED_POLICY'] === undefined) cluster.schedulingPolicy = cluster.SCHED_NONE;
  }

  /** Forks the workers and resolves with the addresses they share once every one listens. Rejects when a worker exits before listening. */
  async start(): Promise<{ proxy: BoundAddress; tls: BoundAddress | null }> {
    const ready = Array.from({ length: this.size }, () => this.fork());
    this.timer = setInterval(() => this.sync(), SYNC_INTERVAL_MS);
    this.timer.unref();
    return (await Promise.all(ready))[0]!;
  }

  /** Tells every worker (and any forked later) the health an active check found for a member. */
  setHealth(memberId: string, health: 'up' | 'down', reason: string | null): void {
    const message = { t: 'health', memberId, health, reason } as const;
    this.checked.set(memberId, message);
    this.broadcast(message);
  }

  /** Has every worker read the TLS listener's files again (after the primary checked them). */
  reloadTls(): void {
    this.broadcast({ t: 'reload-tls' });
  }

  /** Sends a snapshot the primary accepted to every worker, and to workers forked later. */
  publish(raw: unknown): void {
    this.snapshot = raw;
    this.broadcast({ t: 'snapshot', raw });
  }

  /** Asks every worker to stop within `graceMs` and resolves when all have exited. */
  async close(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.isDead()) return resolve();
            const kill = setTimeout(() => worker.process.kill('SIGKILL'), graceMs + 2_000);
            worker.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            send(worker, { t: 'stop', graceMs });
          }),
      ),
    );
  }

  private fork(): Promise<{ proxy: BoundAddress; tls: BoundAddress | null }> {
    const worker = cluster.fork({ SWITCHBOARD_WORKER_ID: String(Object.keys(cluster.workers ?? {}).length + 1) });
    this.reports.set(worker.id, new Map());
    return new Promise((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        if (message.t === 'listening') {
          this.listening.add(worker.id);
          if (this.snapshot !== null) send(worker, { t: 'snapshot', raw: this.snapshot });
          for (const message of this.checked.values()) send(worker, message);
          resolve({ proxy: message.proxy, tls: message.tls });
        } else this.onReport(worker.id, message.members);
      });
      worker.once('exit', (code, signal) => {
        this.forget(worker.id);
        reject(new Error(`worker ${worker.id} exited (${signal ?? code}) before listening`));
        if (this.stopping) return;
        this.logger.error({ worker: worker.id, code, signal }, 'worker exited; forking another');
        setTimeout(() => void this.fork().catch((error: unknown) => this.logger.error({ err: error }, 'worker failed to start')), RESPAWN_DELAY_MS).unref();
      });
    });
  }

  private onReport(workerId: number, members: Record<string, MemberReport>): void {
    const reports = this.reports.get(workerId);
    if (!reports) return;
    for (const [memberId, report] of Object.entries(members)) {
      reports.set(memberId, report);
      this.resum(memberId);
    }
    this.dirty = true;
  }

  /** Drops a dead worker's figures: its tunnels died with it. */
  private forget(workerId: number): void {
    const reports = this.reports.get(workerId);
    this.reports.delete(workerId);
    this.listening.delete(workerId);
    for (const memberId of reports?.keys() ?? []) this.resum(memberId);
    this.dirty = true;
  }

  private resum(memberId: string): void {
    const all: MemberReport[] = [];
    for (const reports of this.reports.values()) {
      const report = reports.get(memberId);
      if (report) all.push(report);
    }
    applySum(this.counters.countersFor(memberId), all);
  }

  /** Tells each worker what the others hold on every member. */
  private sync(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const totals = new Map<string, PeerLoad>();
    for (const reports of this.reports.values()) {
      for (const [memberId, report] of reports) {
        const load = loadOf(report);
        const total = totals.get(memberId) ?? [0, 0, 0];
        totals.set(memberId, [total[0] + load[0], total[1] + load[1], total[2] + load[2]]);
      }
    }
    if (totals.size === 0) return;
    for (const [workerId, reports] of this.reports) {
      const worker = cluster.workers?.[workerId];
      if (!worker || !this.listening.has(workerId)) continue;
      const members: Record<string, PeerLoad> = {};
      for (const [memberId, total] of totals) members[memberId] = peerLoad(total, reports.get(memberId));
      send(worker, { t: 'peers', members });
    }
  }

  private broadcast(message: ToWorker): void {
    for (const workerId of this.listening) {
      const worker = cluster.workers?.[workerId];
      if (worker) send(worker, message);
    }
  }
}

/** Sends over IPC, ignoring a worker that is already gone (its exit is handled on 'exit'). */
function send(worker: Worker, message: ToWorker): void {
  if (worker.isConnected()) worker.send(message, (error: Error | null) => void error);
}
