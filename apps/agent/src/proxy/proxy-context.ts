import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { ConfigState } from '../config/config-state';
import type { RuntimeMember } from '../config/runtime';

/** Keep-alive connection pools to members, one per scheme. */
export interface UpstreamAgents {
  readonly http: HttpAgent;
  readonly https: HttpsAgent;
}

/** What the proxy's request and upgrade handlers share. */
export interface ProxyContext {
  readonly state: ConfigState;
  readonly agents: UpstreamAgents;
  /** Client sockets of upgrades being tunnelled (pending or open), for shutdown. */
  readonly tunnels: Set<Duplex>;
  readonly logger: Logger;
}

/** Keep-alive pools reusing the most recent socket first (so idle ones expire), no cap on sockets per member. */
export function createUpstreamAgents(): UpstreamAgents {
  const options = { keepAlive: true, scheduling: 'lifo' as const };
  return { http: new HttpAgent(options), https: new HttpsAgent(options) };
}

/** Records a successful connect to a member; logs when its passive health turns `up`. */
export function noteConnected(ctx: ProxyContext, member: RuntimeMember): void {
  if (member.counters.markConnected()) ctx.logger.info({ memberId: member.id, balancerId: member.balancerId, url: member.url }, 'member up');
}

/** Records a failed connect to a member; logs when its passive health turns `down`. */
export function noteFailure(ctx: ProxyContext, member: RuntimeMember, error: Error): void {
  const code = (error as NodeJS.ErrnoException).code ?? error.message;
  if (member.counters.markFailure()) ctx.logger.warn({ memberId: member.id, balancerId: member.balancerId, url: member.url, code }, 'member down');
  else ctx.logger.debug({ memberId: member.id, code }, 'connect failed');
}

/** A short name for an error in response bodies and logs: its code (ECONNREFUSED) or message. */
export function errorCode(error: Error | undefined): string {
  if (!error) return 'unknown error';
  return (error as NodeJS.ErrnoException).code ?? error.message;
}
