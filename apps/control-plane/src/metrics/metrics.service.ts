import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** The control plane's Prometheus registry and the metrics other modules update. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly agentsConnected = new Gauge({ name: 'switchboard_agents_connected', help: 'Agents connected to this replica', registers: [this.registry] });
  readonly invalidMessages = new Counter({ name: 'switchboard_agent_invalid_messages_total', help: 'Control-channel frames that failed validation', registers: [this.registry] });
  readonly snapshotsSent = new Counter({ name: 'switchboard_snapshots_sent_total', help: 'Snapshots sent to agents', registers: [this.registry] });
  readonly statsRecorded = new Counter({ name: 'switchboard_agent_stats_recorded_total', help: 'Agent stats messages written to the database', registers: [this.registry] });
  readonly statsDropped = new Counter({
    name: 'switchboard_agent_stats_dropped_total',
    help: 'Agent stats dropped: whole messages over SWITCHBOARD_AGENT_STATS_RATE (reason rate_limited), figures for members not in the snapshot sent to that agent (reason unknown_member)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly nacks = new Counter({ name: 'switchboard_agent_nacks_total', help: 'Snapshots rejected by agents', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
