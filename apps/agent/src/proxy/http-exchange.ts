import { request as httpRequest } from 'node:http';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { selectMember } from '../balancing/select-member';
import type { RuntimeBalancer, RuntimeMember } from '../config/runtime';
import { addStickyCookie, hashKeyOf, stickyMember, stickyToken } from './affinity';
import { downstreamResponseHeaders, forwardingHeaders, upstreamRequestHeaders } from './forwarding-headers';
import { errorCode, noteConnected, noteFailure } from './proxy-context';
import type { ProxyContext } from './proxy-context';
import { resolveRequest, unavailableReason } from './resolve';
import { applyFraming, requestFraming } from './request-framing';
import type { RequestFraming } from './request-framing';
import { reverseResponseHeaders } from './reverse-headers';
import { isClosing, sendText, sendTextAndClose } from './responses';
import { StallTimer } from './stall-timer';
import type { StallSide } from './stall-timer';
import { whenConnected } from './upstream-connect';

/** Raised (as a passive failure) when a member sends no response head within the balancer's timeouts.responseHeaderMs. */
export class ResponseTimeoutError extends Error {
  override readonly name = 'ResponseTimeoutError';
  readonly code = 'ETIMEDOUT';

  constructor(timeoutMs: number) {
    super(`no response head within ${timeoutMs} ms`);
  }
}

/**
 * One plain HTTP request forwarded to a member, in named steps: attempt (pick a member, open
 * the request, framed as the client framed it: see applyFraming), connected (only now is the
 * request body piped, so a connect failure has consumed nothing and the next member can be
 * tried — bodies included), response (status and headers — Location and cookie paths mapped
 * back for a stripped prefix — then the body streamed), and client close (whatever is upstream
 * is dropped). From the connection to the response head a StallTimer waits on the client's
 * body (408) or on the member (504, a passive failure, its connection destroyed).
 */
class HttpExchange {
  private readonly tried: RuntimeMember[] = [];
  private readonly headers: OutgoingHttpHeaders;
  /** Key of lbmethod `hash` ('' for other lbmethods). */
  private readonly key: string;
  /** The sticky cookie's value on the request, and the member it names. */
  private readonly stickyToken: string | undefined;
  private readonly sticky: RuntimeMember | undefined;
  /** The member whose inflightRequests this request counts in, until released. */
  private holding: RuntimeMember | undefined;
  private upstream: ClientRequest | undefined;
  private connected = false;
  private lastError: Error | undefined;
  private readonly stall = new StallTimer((side, limitMs) => this.onStall(side, limitMs));

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly balancer: RuntimeBalancer,
    private readonly path: string,
    /** The stripped prefix put back in the member's Location and cookie paths, or null (see CompiledRoute.reversePrefix). */
    private readonly reversePrefix: string | null,
    private readonly framing: RequestFraming,
    private readonly ctx: ProxyContext,
  ) {
    this.headers = upstreamRequestHeaders(req, forwardingHeaders(req, ctx.addresses));
    applyFraming(this.headers, framing);
    this.key = hashKeyOf(balancer, req, ctx.addresses);
    this.stickyToken = stickyToken(balancer, req);
    this.sticky = stickyMember(balancer, this.stickyToken);
    res.once('close', () => this.onClientClose());
  }

  /** Picks the next member (see selectMember: sticky, lbset, lbmethod) and opens the request to it, or answers 503. */
  attempt(): void {
    const member = selectMember(this.balancer, this.tried, this.key, this.sticky);
    if (!member) {
      sendText(this.res, 503, unavailableReason(this.balancer, this.tried.length, errorCode(this.lastError)));
      return;
    }
    this.tried.push(member);
    this.holding = member;
    member.counters.inflightRequests += 1;
    const { target } = member;
    setHost(this.headers, member.hostHeader ?? this.req.headers.host);
    const pools = this.ctx.pools.forKeepAlive(this.balancer.timeouts.keepAliveMs);
    const upstream = (target.secure ? httpsRequest : httpRequest)({
      agent: target.secure ? pools.https : pools.http,
      host: target.host,
      port: target.port,
      method: this.req.method,
      path: target.basePath + this.path,
      headers: this.headers,
      ...target.tls,
    });
    this.upstream = upstream;
    this.connected = false;
    upstream.on('error', (error) => this.onUpstreamError(upstream, member, error));
    upstream.once('socket', (socket) => whenConnected(socket, target.secure, this.balancer.timeouts.connectMs, () => this.onConnected(upstream, member)));
    upstream.once('response', (response) => this.onResponse(upstream, member, response));
  }

  /**
   * The body goes to the member; the agent waits on the client while it reads the body, and on
   * the member while the member holds it back (the pipe paused) and once it is all read.
   */
  private onConnected(upstream: ClientRequest, member: RuntimeMember): void {
    if (upstream !== this.upstream) return;
    this.connected = true;
    const responseHeaderMs = this.balancer.timeouts.responseHeaderMs;
    if (this.framing.body === 'none') {
      upstream.end();
      this.stall.wait('member', responseHeaderMs);
      return;
    }
    const counters = member.counters;
    const req = this.req;
    const bodyIdleMs = this.ctx.requestBodyIdleMs;
    req.on('data', (chunk: Buffer) => {
      counters.bytesIn += chunk.length;
      this.stall.refresh('client');
    });
    req.on('pause', () => this.stall.wait('member', responseHeaderMs));
    req.on('resume', () => this.stall.wait('client', bodyIdleMs));
    req.once('end', () => this.stall.wait('member', responseHeaderMs));
    req.pipe(upstream);
  }

  private onResponse(upstream: ClientRequest, member: RuntimeMember, response: IncomingMessage): void {
    if (upstream !== this.upstream) return;
    this.stall.stop();
    // Passive health sees the member answer (not merely accept): one that accepts and never answers keeps failing.
    noteConnected(this.ctx, member);
    const counters = member.counters;
    const headers = downstreamResponseHeaders(response);
    if (this.reversePrefix !== null) reverseResponseHeaders(headers, this.reversePrefix, member);
    addStickyCookie(headers, member, this.stickyToken);
    this.res.writeHead(response.statusCode ?? 502, response.statusMessage, headers);
    response.on('data', (chunk: Buffer) => (counters.bytesOut += chunk.length));
    // pipe, not stream.pipeline: on Node 20 pipeline costs an AbortController and a DOMException
    // per call (about half of the agent's CPU per small request, test/bench). A client leaving
    // destroys the upstream request (onClientClose); a member failing mid-body cuts the client.
    response.once('error', () => this.res.destroy());
    response.pipe(this.res);
  }

  /** Before the connection: a connect failure, try the next member. After it: 502, or a cut response once its head went out. */
  private onUpstreamError(upstream: ClientRequest, member: RuntimeMember, error: Error): void {
    if (upstream !== this.upstream) return;
    this.upstream = undefined; // failed: later events from it are stale
    if (this.connected) {
      this.stall.stop();
      this.ctx.logger.debug({ memberId: member.id, code: errorCode(error) }, 'upstream request failed');
      sendText(this.res, 502, `member ${member.id} of balancer ${this.balancer.name} failed: ${errorCode(error)}`);
      return;
    }
    noteFailure(this.ctx, member, error);
    this.lastError = error;
    this.release();
    if (this.tried.length <= this.balancer.retries) this.attempt();
    else sendText(this.res, 503, unavailableReason(this.balancer, this.tried.length, errorCode(error)));
  }

  /**
   * A stalled member (no response head within responseHeaderMs): 504, a passive failure, its
   * connection destroyed (never reused). A stalled client body (SWITCHBOARD_REQUEST_BODY_IDLE_MS):
   * 408 and the member request aborted. Either way the client connection closes after the answer.
   */
  private onStall(side: StallSide, limitMs: number): void {
    this.stall.stop();
    const upstream = this.upstream;
    const member = this.holding;
    if (!upstream || !member) return;
    this.upstream = undefined;
    upstream.destroy();
    this.release();
    if (side === 'client') {
      sendTextAndClose(this.res, 408, `request body idle for ${limitMs} ms (SWITCHBOARD_REQUEST_BODY_IDLE_MS)`);
      return;
    }
    noteFailure(this.ctx, member, new ResponseTimeoutError(limitMs), 'response');
    sendTextAndClose(this.res, 504, `member ${member.id} of balancer ${this.balancer.name} sent no response head within ${limitMs} ms (timeouts.responseHeaderMs)`);
  }

  /** The response finished or the client left: drop an unfinished upstream request and release the member. */
  private onClientClose(): void {
    this.stall.stop();
    const upstream = this.upstream;
    this.upstream = undefined;
    if (upstream && !this.res.writableFinished) upstream.destroy();
    this.release();
  }

  private release(): void {
    if (this.holding) this.holding.counters.inflightRequests -= 1;
    this.holding = undefined;
  }
}

/** The Host for this attempt's member (balancer hostHeader), or none when the client sent none and it is kept (Node then sends the member's). */
function setHost(headers: OutgoingHttpHeaders, host: string | undefined): void {
  if (host === undefined) delete headers.host;
  else headers.host = host;
}

/**
 * Handles one plain HTTP request on the proxy port: dropped when its connection is closing after
 * a refused request (see sendTextAndClose), framing checked (see requestFraming: 400 and the
 * connection closed), route, then forward with failover (see HttpExchange), or 404/503.
 */
export function proxyHttp(req: IncomingMessage, res: ServerResponse, ctx: ProxyContext): void {
  req.on('error', () => undefined);
  res.on('error', () => undefined);
  if (isClosing(req.socket)) return;
  const framing = requestFraming(req);
  if ('refused' in framing) {
    sendTextAndClose(res, 400, framing.refused);
    return;
  }
  const resolution = resolveRequest(ctx.state.current?.runtime, req, false);
  if ('status' in resolution) {
    // nothing after a malformed request is trusted
    if (resolution.status === 400) sendTextAndClose(res, resolution.status, resolution.reason);
    else sendText(res, resolution.status, resolution.reason);
    return;
  }
  new HttpExchange(req, res, resolution.route.target, resolution.path, resolution.route.reversePrefix, framing, ctx).attempt();
}
