import type { Health } from '@switchboard/protocol';

/**
 * One member's figures in one worker, as a tuple to keep IPC small:
 * [openTunnels, connectingTunnels, inflightRequests, elected, bytesIn, bytesOut, failures, closedByAgent, health, healthReason].
 */
export type MemberReport = [number, number, number, number, number, number, number, number, Health, string | null];

/** What other workers hold on a member: [busy (open + connecting tunnels + in-flight requests), tunnels (open + connecting), bytes (in + out, cumulative)]. */
export type PeerLoad = [number, number, number];

/** An address a worker listens on. */
export interface BoundAddress {
  readonly address: string;
  readonly port: number;
}

/** primary → worker. */
export type ToWorker =
  /** A snapshot the primary accepted, as received from the control plane (the worker validates it again). */
  | { readonly t: 'snapshot'; readonly raw: unknown }
  /** Load of each member on the other workers, by member id. */
  | { readonly t: 'peers'; readonly members: Record<string, PeerLoad> }
  /** A member's health as the primary's active check found it. */
  | { readonly t: 'health'; readonly memberId: string; readonly health: 'up' | 'down'; readonly reason: string | null }
  /** Read the TLS listener's certificate and key files again (the primary checked them). */
  | { readonly t: 'reload-tls' }
  /** Shut down within `graceMs`. */
  | { readonly t: 'stop'; readonly graceMs: number };

/** worker → primary. */
export type FromWorker =
  | { readonly t: 'listening'; readonly proxy: BoundAddress; readonly tls: BoundAddress | null }
  /** Figures of members that changed since the last report, by member id. */
  | { readonly t: 'report'; readonly members: Record<string, MemberReport> };

/** How often workers report changed figures and the primary answers with peer loads (ms). */
export const SYNC_INTERVAL_MS = 20;
