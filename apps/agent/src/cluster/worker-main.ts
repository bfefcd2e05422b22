import type { Logger } from 'pino';
import { ConfigState } from '../config/config-state';
import { CounterRegistry } from '../config/member-counters';
import { ProxyServer } from '../proxy/proxy-server';
import type { AgentSettings } from '../settings';
import { reportOf, sameReport } from './counter-sums';
import type { FromWorker, MemberReport, ToWorker } from './messages';
import { SYNC_INTERVAL_MS } from './messages';

/**
 * One worker of SWITCHBOARD_WORKERS > 1: serves the proxy port (shared with the other workers
 * through the cluster module) with the snapshots the primary sends, reports its member figures
 * when they change (every SYNC_INTERVAL_MS at most) and takes the others' load into account
 * (MemberCounters.peer*). The control channel, the disk cache and the admin port stay in the primary.
 * Resolves once listening; the process exits after a `stop` from the primary or when the primary goes away.
 */
export async function runWorker(settings: AgentSettings, logger: Logger): Promise<void> {
  const counters = new CounterRegistry();
  const state = new ConfigState(counters);
  const proxy = new ProxyServer(state, logger, { requestHeaderMs: settings.requestHeaderMs, maxHeaderBytes: settings.maxHeaderBytes });
  const reported = new Map<string, MemberReport>();
  const send = (message: FromWorker): void => void process.send?.(message);

  process.on('message', (message: ToWorker) => {
    if (message.t === 'snapshot') {
      const outcome = state.offer(message.raw, 'control-plane');
      if (outcome.result === 'rejected') logger.error({ reason: outcome.reason }, 'worker refused a snapshot its primary accepted');
    } else if (message.t === 'peers') {
      for (const [memberId, [busy, tunnels, bytes]] of Object.entries(message.members)) {
        const peer = counters.countersFor(memberId);
        peer.peerBusy = busy;
        peer.peerTunnels = tunnels;
        peer.peerBytes = bytes;
      }
    } else {
      void proxy.close(message.graceMs).then(() => process.exit(0));
    }
  });
  // Without the primary there is no configuration and no stats: stop rather than serve stale.
  process.on('disconnect', () => void proxy.close(0).then(() => process.exit(0)));

  const timer = setInterval(() => {
    const changed: Record<string, MemberReport> = {};
    let any = false;
    for (const balancer of state.current?.runtime.balancers ?? []) {
      for (const member of balancer.members) {
        const report = reportOf(member.counters);
        if (sameReport(reported.get(member.id), report)) continue;
        reported.set(member.id, report);
        changed[member.id] = report;
        any = true;
      }
    }
    if (any) send({ t: 'report', members: changed });
  }, SYNC_INTERVAL_MS);
  timer.unref();

  const address = await proxy.listen(settings.listen);
  send({ t: 'listening', port: address.port });
}
