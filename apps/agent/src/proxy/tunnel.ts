import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { selectMember } from '../balancing/select-member';
import type { ClosableTunnel, MemberCounters } from '../config/member-counters';
import type { RuntimeBalancer, RuntimeMember } from '../config/runtime';
import { hashKeyOf, stickyMember, stickyToken } from './affinity';
import { forwardingHeaders, upgradeRequestHead } from './forwarding-headers';
import { FrameTracker, closeFrame } from './frames';
import type { AgentCloseCode } from './frames';
import { errorCode, noteConnected, noteFailure } from './proxy-context';
import type { ProxyContext } from './proxy-context';
import { fullReason, isWebSocketUpgrade, resolveRequest, unavailableReason } from './resolve';
import { Relay } from './relay';
import { hasBody, requestFraming } from './request-framing';
import { sendRawText } from './responses';
import { openUpstream, whenConnected } from './upstream-connect';

const EMPTY = Buffer.alloc(0);

/** How often a tunnel waiting for room (limits.queueTimeoutMs) looks again, in ms: tunnels closing here or on other workers free room. */
const QUEUE_RECHECK_MS = 20;

/** How long a tunnel closed by the agent (drain, rebalance) has to finish its close handshake before its sockets are cut, in ms. */
export const CLOSE_LINGER_MS = 3_000;

/**
 * One upgrade request tunnelled to a member, in named steps: attempt (pick a member, open a
 * TCP/TLS connection within connectMs; on failure the next member, so the client never sees
 * a dead member while another is usable), open (write the request head; the member's answer
 * reaches the client unchanged, relayed following frame boundaries, see Relay), switched (on a
 * 101 only: the bytes that came with the request, then relay the client's bytes too) or refused
 * (any other answer: nothing more of the client's is sent, both sides close after the answer),
 * and close (either side closing, or tunnelIdleMs without traffic, closes both; counted once).
 * Once the member's 101 has passed, the tunnel is listed on its member (`counters.tunnels`) so
 * a drain or a rebalance can close it at a frame boundary (closeByAgent).
 */
class Tunnel implements ClosableTunnel {
  private readonly tried: RuntimeMember[] = [];
  private upstream: Socket | undefined;
  /** The member whose openTunnels counts this tunnel, from open until close. */
  private openOn: RuntimeMember | undefined;
  /** The member whose connectingTunnels counts this tunnel while it is being connected. */
  private connectingOn: RuntimeMember | undefined;
  private lastError: Error | undefined;
  /** Both directions once open: client → member and member → client. */
  private toMember: Relay | undefined;
  private toClient: Relay | undefined;
  /** When this tunnel first found every usable member full (performance.now ms), while it waits for room. */
  private queuedSince: number | undefined;
  private queueTimer: NodeJS.Timeout | undefined;
  /** Cuts the tunnel if a close by the agent has not completed in time. */
  private lingerTimer: NodeJS.Timeout | undefined;
  /** Key of lbmethod `hash` ('' for other lbmethods). */
  private readonly key: string;
  /** The member the request's sticky cookie names, if any. */
  private readonly sticky: RuntimeMember | undefined;
  private readonly onEarlyEnd = (): void => {
    this.client.destroy();
  };

  /**
   * `req` and `head` are let go once written to the member (an idle tunnel then holds little
   * more than its two sockets: about 10 KB each, test/bench).
   */
  constructor(
    private req: IncomingMessage | undefined,
    private readonly client: Duplex,
    private head: Buffer,
    private readonly balancer: RuntimeBalancer,
    private readonly path: string,
    private readonly ctx: ProxyContext,
  ) {
    this.key = hashKeyOf(balancer, req!, ctx.addresses);
    this.sticky = stickyMember(balancer, stickyToken(balancer, req!));
    ctx.tunnels.add(client);
    client.once('close', () => this.close());
    // The server allows half-open sockets: without this, a client leaving while a member is
    // dialled or deciding would hold the member connection. Removed once the member answers 101.
    client.once('end', this.onEarlyEnd);
  }

  /**
   * Picks the next member (see selectMember: sticky, lbset, lbmethod) and connects to it; when
   * every usable member is full, waits for room up to the balancer's queueTimeoutMs (looking
   * again every QUEUE_RECHECK_MS); else answers 503 on the raw socket.
   */
  attempt(): void {
    const member = selectMember(this.balancer, this.tried, this.key, this.sticky, true);
    if (!member) {
      const full = this.balancer.candidates.sawFull;
      if (full && this.queued()) return;
      sendRawText(this.client, 503, full ? fullReason(this.balancer) : unavailableReason(this.balancer, this.tried.length, errorCode(this.lastError)));
      return;
    }
    this.tried.push(member);
    this.connectingOn = member;
    member.counters.connectingTunnels += 1;
    const upstream = openUpstream(member.target);
    this.upstream = upstream;
    upstream.on('error', (error) => this.onUpstreamError(upstream, member, error));
    whenConnected(upstream, member.target.secure, this.balancer.timeouts.connectMs, () => this.open(upstream, member));
  }

  private onUpstreamError(upstream: Socket, member: RuntimeMember, error: Error): void {
    if (upstream !== this.upstream) return;
    if (this.openOn) {
      this.ctx.logger.debug({ memberId: member.id, code: errorCode(error) }, 'tunnel upstream error');
      this.client.destroy();
      return;
    }
    this.settleConnecting();
    noteFailure(this.ctx, member, error);
    this.lastError = error;
    if (this.tried.length <= this.balancer.retries) this.attempt();
    else sendRawText(this.client, 503, unavailableReason(this.balancer, this.tried.length, errorCode(error)));
  }

  private open(upstream: Socket, member: RuntimeMember): void {
    if (upstream !== this.upstream) return;
    this.settleConnecting();
    noteConnected(this.ctx, member);
    this.openOn = member;
    const counters = member.counters;
    counters.openTunnels += 1;
    const req = this.req!;
    this.req = undefined;
    const requestHead = upgradeRequestHead(req, member.target.basePath + this.path, forwardingHeaders(req, this.ctx.addresses), member.hostHeader);
    counters.bytesIn += requestHead.length;
    upstream.write(requestHead);
    const frames = new FrameTracker(true, (switched) => (switched ? this.switched(upstream, counters) : this.refused(upstream)));
    this.toClient = new Relay(upstream, this.client, frames, (bytes) => (counters.bytesOut += bytes));
    // A clean close lets the client receive what is still buffered, then closes it; an error cuts
    // it. After the agent's close frame the client is left to answer it (endIfClientAnswered).
    upstream.once('close', (hadError) => (hadError ? this.client.destroy() : !this.toClient?.closed && this.client.end()));
    this.client.once('finish', () => this.client.destroy());
    const idleMs = this.balancer.timeouts.tunnelIdleMs;
    // Socket timeouts see reads and writes, so this is idleness in both directions (HAProxy's `timeout tunnel`).
    if (idleMs > 0) upstream.setTimeout(idleMs, () => this.client.destroy());
  }

  /**
   * Closes the tunnel for a drain (1001) or a rebalance (1012): a close frame goes to the client
   * (unmasked) and to the member (masked) each at the next frame boundary of its direction,
   * nothing more is forwarded, and the client side is ended once the client answered (its close
   * frame or its end), as the server ends a WebSocket (RFC 6455 §7.1.1). The sockets are cut
   * after CLOSE_LINGER_MS. Only tunnels past their 101 are listed for it (see switched).
   */
  closeByAgent(code: AgentCloseCode): void {
    const { toClient, toMember, openOn } = this;
    if (!toClient || !toMember || !openOn) return;
    openOn.counters.tunnels.delete(this);
    this.lingerTimer = setTimeout(() => this.client.destroy(), CLOSE_LINGER_MS).unref();
    // A close handshake already under way (either peer sent close) is left to finish.
    if (toClient.frames.closeFrames + toMember.frames.closeFrames > 0) return;
    const answered = (): void => this.endIfClientAnswered();
    toMember.closeAtBoundary(closeFrame(code, true), answered);
    toClient.closeAtBoundary(closeFrame(code, false), answered);
    answered();
  }

  /** Ends the client side once the agent's close frame reached it and the client answered it (its close frame, or its end). */
  private endIfClientAnswered(): void {
    if (!this.toClient?.closed || this.client.writableEnded) return;
    if ((this.toMember?.frames.closeFrames ?? 0) > 0 || this.client.readableEnded) this.client.end();
  }

  /**
   * The member's 101 has passed: the client's bytes go to it from now on, those that came with
   * the request first, and the tunnel is listed on its member for drains and rebalances.
   */
  private switched(upstream: Socket, counters: MemberCounters): void {
    counters.tunnels.add(this);
    this.client.off('end', this.onEarlyEnd);
    counters.bytesIn += this.head.length;
    if (this.head.length > 0) upstream.write(this.head);
    this.toMember = new Relay(this.client, upstream, new FrameTracker(false), (bytes) => (counters.bytesIn += bytes));
    this.toMember.frames.scan(this.head);
    this.head = EMPTY;
    // The client's FIN is passed on; after the agent's close frame it may be the client's answer.
    this.client.once('end', () => {
      upstream.end();
      this.endIfClientAnswered();
    });
  }

  /**
   * The member answered anything but 101: its answer reaches the client, then both sides close;
   * no byte of the client's reaches the member (Apache's CVE-2019-17567, fixed in 2.4.47 by
   * waiting for the 101, as HAProxy and NGINX do).
   */
  private refused(upstream: Socket): void {
    upstream.end();
    this.client.resume(); // read and drop: a socket destroyed with unread bytes sends RST, which could cut the answer
  }

  /** Whether the tunnel waits for room (again): true until queueTimeoutMs has passed since it first found every member full. */
  private queued(): boolean {
    const timeoutMs = this.balancer.queueTimeoutMs;
    if (timeoutMs === 0 || this.client.destroyed) return false;
    const now = performance.now();
    this.queuedSince ??= now;
    if (now - this.queuedSince >= timeoutMs) return false;
    this.queueTimer = setTimeout(() => this.attempt(), Math.min(QUEUE_RECHECK_MS, timeoutMs - (now - this.queuedSince)));
    return true;
  }

  /** Stops counting this tunnel as connecting (it opened, failed, or the client left). */
  private settleConnecting(): void {
    if (this.connectingOn) this.connectingOn.counters.connectingTunnels -= 1;
    this.connectingOn = undefined;
  }

  /** The client side closed (or was destroyed by the steps above): close the member side and count the tunnel closed, once. */
  private close(): void {
    this.ctx.tunnels.delete(this.client);
    const upstream = this.upstream;
    this.upstream = undefined;
    upstream?.destroy();
    this.settleConnecting();
    clearTimeout(this.lingerTimer);
    clearTimeout(this.queueTimer);
    if (this.openOn) {
      this.openOn.counters.openTunnels -= 1;
      this.openOn.counters.tunnels.delete(this);
    }
    this.openOn = undefined;
  }
}

/**
 * Handles an upgrade request on the proxy port (the server's `upgrade` event): the socket's
 * error handler goes on first, then framing (400 for a body: Node's parser stopped at the head,
 * so the body would reach the member unframed after its 101), route (404/503 written raw) and
 * tunnel (see Tunnel).
 */
export function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, ctx: ProxyContext): void {
  client.on('error', (error) => ctx.logger.debug({ code: errorCode(error) }, 'tunnel client error'));
  if (client.destroyed) return;
  const framing = requestFraming(req);
  if ('refused' in framing || hasBody(framing)) {
    sendRawText(client, 400, 'refused' in framing ? framing.refused : 'a WebSocket upgrade request with a body is not supported');
    return;
  }
  const resolution = resolveRequest(ctx.state.current?.runtime, req, isWebSocketUpgrade(req));
  if ('status' in resolution) {
    sendRawText(client, resolution.status, resolution.reason);
    return;
  }
  new Tunnel(req, client, head, resolution.route.target, resolution.path, ctx).attempt();
}
