import type { LbMethod, MemberState, Timeouts } from '@switchboard/protocol';
import type { MemberPicker } from '../balancing/pickers';
import type { CompiledRoute } from '../routing/routes';
import type { MemberCounters } from './member-counters';

/** Where connections to a member go, parsed once per snapshot from its URL. */
export interface UpstreamTarget {
  /** TLS for `https` and `wss` members. */
  readonly secure: boolean;
  /** Host name or IP address (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** The member URL's path without its trailing `/` (`''` for `/`), put before every forwarded path. */
  readonly basePath: string;
}

/** A member as the proxy uses it: the snapshot's fields plus its target and live counters. */
export interface RuntimeMember {
  readonly id: string;
  readonly balancerId: string;
  readonly url: string;
  /** 1–100. */
  readonly weight: number;
  readonly state: MemberState;
  readonly target: UpstreamTarget;
  readonly counters: MemberCounters;
}

/** A balancer of the applied snapshot with its member picker (state rebuilt per snapshot). */
export interface RuntimeBalancer {
  readonly id: string;
  readonly name: string;
  readonly lbMethod: LbMethod;
  readonly timeouts: Timeouts;
  /** How many other members are tried after a connect failure. */
  readonly retries: number;
  readonly members: readonly RuntimeMember[];
  readonly picker: MemberPicker;
}

/** Everything the hot path reads, compiled once per snapshot and replaced as a whole. */
export interface RuntimeConfig {
  readonly balancers: readonly RuntimeBalancer[];
  /** Enabled routes, already in match order. */
  readonly routes: readonly CompiledRoute<RuntimeBalancer>[];
}
