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

export interface Balancer {
  id: string;
  name: string;
  lbMethod: string;
  timeouts?: { connectMs?: number; tunnelIdleMs?: number };
  failover?: { retries?: number };
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  id: string;
  balancerId: string;
  url: string;
  name?: string | null;
  weight: number;
  lbset: number;
  state: MemberState;
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
  health: Health;
}

export interface AgentFigures extends Figures {
  agentId: string;
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
