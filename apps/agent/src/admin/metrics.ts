import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { ConfigState } from '../config/config-state';
import type { MemberCounters } from '../config/member-counters';

/** What the metrics read at scrape time besides the served configuration. */
export interface ControlStatus {
  /** True while the control channel is open. */
  readonly connected: boolean;
  /** Control-plane messages dropped because they were not JSON or failed their schema. */
  readonly invalidMessages: number;
}

/** The numeric fields of MemberCounters. */
type MemberField = { [K in keyof MemberCounters]: MemberCounters[K] extends number ? K : never }[keyof MemberCounters];

const MEMBER_LABELS = ['balancer', 'member'] as const;
const HEALTH_STATES = ['up', 'down', 'unknown'] as const;

/**
 * A prom-client registry for the admin port's /metrics, filled at scrape time from the live
 * counters of the served configuration's members (labels `balancer` = balancer name, `member`
 * = member id), plus the served revision, the control channel's state and Node's process metrics.
 */
export function createMetrics(state: ConfigState, control: ControlStatus): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const forEachMember = (visit: (labels: Record<(typeof MEMBER_LABELS)[number], string>, counters: MemberCounters) => void): void => {
    for (const balancer of state.current?.runtime.balancers ?? []) {
      for (const member of balancer.members) visit({ balancer: balancer.name, member: member.id }, member.counters);
    }
  };
  const memberGauge = (name: string, help: string, field: MemberField): void => {
    new Gauge({ name, help, labelNames: MEMBER_LABELS, registers: [registry], collect() {
      this.reset();
      forEachMember((labels, counters) => this.set(labels, counters[field]));
    } });
  };
  const memberCounter = (name: string, help: string, field: MemberField): void => {
    new Counter({ name, help, labelNames: MEMBER_LABELS, registers: [registry], collect() {
      this.reset();
      forEachMember((labels, counters) => this.inc(labels, counters[field]));
    } });
  };
  memberGauge('switchboard_agent_member_open_tunnels', 'WebSocket tunnels open now to the member.', 'openTunnels');
  memberGauge('switchboard_agent_member_inflight_requests', 'HTTP requests being proxied now to the member.', 'inflightRequests');
  memberCounter('switchboard_agent_member_elected_total', 'Times the member was chosen for a connection or request.', 'elected');
  memberCounter('switchboard_agent_member_bytes_in_total', 'Bytes sent to the member.', 'bytesIn');
  memberCounter('switchboard_agent_member_bytes_out_total', 'Bytes received from the member.', 'bytesOut');
  memberCounter('switchboard_agent_member_failures_total', 'Failed attempts to connect to the member.', 'failures');
  memberCounter('switchboard_agent_member_closed_by_agent_total', 'Open tunnels closed by a paced drain or a rebalance (close 1001/1012).', 'closedByAgent');
  new Gauge({ name: 'switchboard_agent_member_health', help: 'Health of the member (active checks and passive): 1 for its current state.', labelNames: [...MEMBER_LABELS, 'health'], registers: [registry], collect() {
    this.reset();
    forEachMember((labels, counters) => {
      for (const health of HEALTH_STATES) this.set({ ...labels, health }, counters.health === health ? 1 : 0);
    });
  } });
  new Gauge({ name: 'switchboard_agent_member_down_reason', help: 'Why a down member is down (label reason); members not down have no series.', labelNames: [...MEMBER_LABELS, 'reason'], registers: [registry], collect() {
    this.reset();
    forEachMember((labels, counters) => {
      if (counters.health === 'down' && counters.healthReason !== null) this.set({ ...labels, reason: counters.healthReason }, 1);
    });
  } });
  new Gauge({ name: 'switchboard_agent_revision', help: 'Revision of the configuration served (-1 before any).', registers: [registry], collect() {
    this.set(state.current?.revision ?? -1);
  } });
  new Gauge({ name: 'switchboard_agent_control_connected', help: '1 while the control channel is open.', registers: [registry], collect() {
    this.set(control.connected ? 1 : 0);
  } });
  new Counter({ name: 'switchboard_agent_control_invalid_messages_total', help: 'Control-plane messages dropped as invalid.', registers: [registry], collect() {
    this.reset();
    this.inc(control.invalidMessages);
  } });
  return registry;
}
