// Shapes of the control-plane REST API (docs: /work/shared/API.md). Kept here rather than
// imported so the dashboard depends on the HTTP contract only, never on server code.

export type Role = 'admin' | 'operator' | 'viewer';
export type MemberState = 'active' | 'draining' | 'disabled' | 'standby';
export type Health = 'up' | 'down' | 'unknown';

export interface Me {
  id: string;
  name: string;
  role: Role;
}

export type HealthCheckType = 'none' | 'http' | 'tcp' | 'websocket';

/** Active health check run by every agent against every member (Apache mod_proxy_hcheck, HAProxy `check`). */
export interface HealthCheck {
  type: HealthCheckType;
  /** Request path of `http` and `websocket` checks. */
  path: string;
  /** Status an `http` check expects. */
  expectStatus: number;
  intervalMs: number;
  timeoutMs: number;
  /** Good checks in a row that bring a member up (hcpasses, rise). */
  passes: number;
  /** Failed checks in a row that take it down (hcfails, fall). */
  fails: number;
}

/** Passive health: `fails` failed connects in a row mark a member down; traffic retried after `retryMs`. */
export interface PassiveHealth {
  fails: number;
  retryMs: number;
}

/** TLS towards https/wss members. */
export interface UpstreamTls {
  /** True: any certificate is accepted (verification off). */
  insecureSkipVerify: boolean;
  /** SNI and name checked, when not the member URL's host. */
  serverName: string | null;
}

/** The latest rebalance asked for. */
export interface Rebalance {
  /** Control-plane wall clock, epoch ms. */
  requestedAt: number;
  /** Fraction above fair share that is left alone (0.1 = 10 %). */
  tolerance: number;
  /** Closes per second, per agent. */
  closesPerSecond: number;
}

export interface Balancer {
  id: string;
  name: string;
  lbMethod: string;
  timeouts?: { connectMs?: number; tunnelIdleMs?: number; keepAliveMs?: number; responseHeaderMs?: number };
  failover?: { retries?: number };
  healthCheck: HealthCheck;
  passiveHealth: PassiveHealth;
  tls: UpstreamTls;
  rebalance: Rebalance | null;
  createdAt: string;
  updatedAt: string;
}

/** A drain's progress, present while a member is draining. */
export interface DrainProgress {
  startedAt: string | null;
  /** Null for a drain without deadline (open tunnels end on their own). */
  windowMs: number | null;
  deadlineMs: number | null;
  /** Open tunnels on the member over online agents, when the member list was read. */
  remainingTunnels: number;
  /** When the open tunnels were first seen at zero; null while some remain. */
  drainedAt: string | null;
}

export interface Member {
  id: string;
  balancerId: string;
  url: string;
  name?: string | null;
  weight: number;
  lbset: number;
  state: MemberState;
  drain: DrainProgress | null;
  createdAt: string;
  updatedAt: string;
}

export interface Figures {
  openTunnels: number;
  inflightRequests: number;
  elected: number;
  bytesIn: number;
  bytesOut: number;
  failures: number;
  /** Tunnels agents closed for a paced drain or a rebalance; older feeds omit it. */
  closedByAgent?: number;
  health: Health;
}

export interface AgentFigures extends Figures {
  agentId: string;
  agentName: string;
  /** Why this agent sees the member down; null when it does not (or does not say). */
  healthReason: string | null;
}

export interface MemberStats extends Figures {
  balancerId: string;
  memberId: string;
  url: string;
  state: MemberState;
  /** Present on the control plane's feed; older feeds may omit it. */
  weight?: number;
  agents: AgentFigures[];
}

export interface StatsSnapshot {
  at: string;
  members: MemberStats[];
}

export interface Agent {
  id: string;
  name: string;
  hostname: string;
  version: string;
  online: boolean;
  lastSeenAt: string | null;
  appliedRevision: number | null;
}

/** RFC 9457 problem details, as every control-plane error is sent. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { path: string; message: string }[];
}
