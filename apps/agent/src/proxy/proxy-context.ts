import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { ConfigState } from '../config/config-state';
import type { RuntimeMember } from '../config/runtime';
import { isCertificateError } from '../tls/upstream-tls';
import type { ClientAddresses } from './client-address';

/** Connection pools to members, one per scheme. */
export interface UpstreamAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

/**
 * The agents' connection pools to members, one pair per keepAliveMs value in use (balancers
 * with the same value share it): with keepAliveMs > 0 a socket idle in the pool that long is
 * closed (sooner if the member's `Keep-Alive: timeout` hint says so); with 0 nothing is
 * pooled and every request gets a fresh connection, closed after its response.
 */
export class UpstreamPools {
  private readonly byKeepAlive = new Map<number, UpstreamAgents>();

  /** The pools for a balancer's keepAliveMs (created on first use). */
  forKeepAlive(keepAliveMs: number): UpstreamAgents {
    let agents = this.byKeepAlive.get(keepAliveMs);
    if (!agents) {
      agents = createUpstreamAgents(keepAliveMs);
      this.byKeepAlive.set(keepAliveMs, agents);
    }
    return agents;
  }

  /** Closes every pooled socket (shutdown). */
  destroy(): void {
    for (const agents of this.byKeepAlive.values()) {
      agents.http.destroy();
      agents.https.destroy();
    }
    this.byKeepAlive.clear();
  }
}

/** What the proxy's request and upgrade handlers share. */
export interface ProxyContext {
  readonly state: ConfigState;
  readonly pools: UpstreamPools;
  /** Client sockets of upgrades being tunnelled (pending or open), for shutdown. */
  readonly tunnels: Set<Duplex>;
  readonly logger: Logger;
  /** Who a request's client is (SWITCHBOARD_TRUSTED_PROXIES, SWITCHBOARD_PROXY_PROTOCOL). */
  readonly addresses: ClientAddresses;
  /** A request body with no byte from the client for this long gets 408 (SWITCHBOARD_REQUEST_BODY_IDLE_MS, ms); 0 = never. */
  readonly requestBodyIdleMs: number;
}

/**
 * Pools reusing the most recent socket first (so idle ones expire), no cap on sockets per member.
 * The agent's `timeout` closes a socket idle in the free list (a busy one only gets a `timeout` event, unheeded).
 */
export function createUpstreamAgents(keepAliveMs: number): UpstreamAgents {
  const options = keepAliveMs > 0 ? { keepAlive: true, scheduling: 'lifo' as const, timeout: keepAliveMs } : { keepAlive: false };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

/** Records a successful connect to a member (see MemberCounters.markConnected); logs when its health turns `up`. */
export function noteConnected(ctx: ProxyContext, member: RuntimeMember): void {
  if (member.counters.markConnected(member.passive)) ctx.logger.info({ memberId: member.id, balancerId: member.balancerId, url: member.url, reason: 'connect succeeded' }, 'member up');
}

/**
 * Records a failed connect to a member, or a response head that did not come in time (`step`
 * `response`), see MemberCounters.markFailure: down after passiveHealth.fails in a row; logs
 * when its health turns `down`.
 */
export function noteFailure(ctx: ProxyContext, member: RuntimeMember, error: Error, step: 'connect' | 'response' = 'connect'): void {
  const code = errorCode(error);
  const counters = member.counters;
  if (counters.markFailure(code, member.passive, step)) ctx.logger.warn({ memberId: member.id, balancerId: member.balancerId, url: member.url, code, reason: counters.healthReason }, 'member down');
  else ctx.logger.debug({ memberId: member.id, code }, `${step} failed`);
}

/**
 * A short name for an error in response bodies and logs: its code (ECONNREFUSED) or message; a
 * refused member certificate also says why (`DEPTH_ZERO_SELF_SIGNED_CERT (self-signed certificate)`).
 */
export function errorCode(error: Error | undefined): string {
  if (!error) return 'unknown error';
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error.message;
  return isCertificateError(code) ? `${code} (${error.message})` : code;
}
