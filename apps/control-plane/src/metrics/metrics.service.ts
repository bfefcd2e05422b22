import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** The control plane's Prometheus registry and the metrics other modules update. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly agentsConnected = new Gauge({ name: 'switchboard_agents_connected', help: 'Agents connected to this replica', registers: [this.registry] });
  readonly invalidMessages = new Counter({ name: 'switchboard_agent_invalid_messages_total', help: 'Control-channel frames that failed validation', registers: [this.registry] });
  readonly snapshotsSent = new Counter({ name: 'switchboard_snapshots_sent_total', help: 'Snapshots sent to agents', registers: [this.registry] });
  readonly nacks = new Counter({ name: 'switchboard_agent_nacks_total', help: 'Snapshots rejected by agents', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
