import type { Logger } from 'pino';
import { ConfigState } from '../config/config-state';
import { CounterRegistry } from '../config/member-counters';
import { TunnelCloses } from '../drain/tunnel-closes';
import { listenerLimits, ProxyServer } from '../proxy/proxy-server';
import { loadServerCredentials } from '../settings';
import type { AgentSettings } from '../settings';
import { createUpstreamTrust } from '../tls/upstream-tls';
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
  const state = new ConfigState(counters, { upstreamTrust: createUpstreamTrust(settings.upstreamCa?.pem ?? null) });
  const proxy = new ProxyServer(state, logger, listenerLimits(settings), settings.tls, settings.clients);
  // Drains and rebalances close this worker's own tunnels; each takes its share of the agent's pace.
  const closes = new TunnelCloses(state, logger, 1 / settings.workers);
  const reported = new Map<string, MemberReport>();
  const send = (message: FromWorker): void => void process.send?.(message);

  process.on('message', (message: ToWorker) => {
    if (message.t === 'snapshot') {
      const outcome = state.offer(message.raw, 'control-plane');
      if (outcome.result === 'rejected') logger.error({ reason: outcome.reason }, 'worker refused a snapshot its primary accepted');
      else if (outcome.result === 'applied') closes.apply();
    } else if (message.t === 'peers') {
      for (const [memberId, [busy, tunnels, bytes]] of Object.entries(message.members)) {
        const peer = counters.countersFor(memberId);
        peer.peerBusy = busy;
        peer.peerTunnels = tunnels;
        peer.peerBytes = bytes;
      }
    } else if (message.t === 'health') {
      counters.countersFor(message.memberId).setHealth(message.health, message.reason);
    } else if (message.t === 'reload-tls') {
      reloadTls(proxy, settings, logger);
    } else {
      closes.stop();
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

  const { address, port } = await proxy.listen(settings.listen);
  const tls = settings.tls ? await proxy.listenTls(settings.tls.listen) : null;
  send({ t: 'listening', proxy: { address, port }, tls: tls && { address: tls.address, port: tls.port } });
}

/** Serves new TLS handshakes with the certificate and key files as they are now; a bad file is logged and the old pair kept. */
function reloadTls(proxy: ProxyServer, settings: AgentSettings, logger: Logger): void {
  if (!settings.tls) return;
  try {
    proxy.setCredentials(loadServerCredentials(settings.tls.cert.file, settings.tls.key.file));
  } catch (error) {
    logger.error({ reason: (error as Error).message }, 'TLS certificate reload failed; serving the previous one');
  }
}
