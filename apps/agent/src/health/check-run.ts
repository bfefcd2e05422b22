import type { Socket } from 'node:net';
import type { HealthCheck } from '@switchboard/protocol';
import type { UpstreamTarget } from '../config/runtime';
import { errorCode } from '../proxy/proxy-context';
import { openUpstream } from '../proxy/upstream-connect';
import { AGENT_VERSION } from '../version';

/** User-Agent of `http` and `websocket` checks, so members can tell them from traffic in their logs. */
export const CHECK_USER_AGENT = `switchboard-agent/${AGENT_VERSION} health check`;

/** The active check types (`none` runs nothing). */
export type CheckType = Exclude<HealthCheck['type'], 'none'>;

/** What one check of one member needs, fixed for as long as its balancer's check settings and its URL stay the same. */
export interface CheckSpec {
  readonly type: CheckType;
  readonly target: UpstreamTarget;
  /** Host header of `http` and `websocket` checks: the balancer's hostHeader rule, else the member URL's `host[:port]`. */
  readonly host: string;
  /** Request path of `http` and `websocket` checks: the member URL's path, then the check's `path`. */
  readonly path: string;
  /** The status a healthy `http` check answers. */
  readonly expectStatus: number;
  /** The whole check (connect, TLS handshake, answer) must be done within this many milliseconds. */
  readonly timeoutMs: number;
}

/** The outcome of one check: healthy, or not with a reason (`http check: status 500`, `check timed out after 2000 ms`). */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * One check in flight. It settles once, with the first of: its probe's verdict, its timeout
 * (`check timed out after N ms`), or cancel (the checker stopped); then its connection is
 * destroyed unless the probe took it over (handOver). Its timer and socket are unref'd, so a
 * check never keeps the process alive.
 */
export class CheckRun {
  readonly result: Promise<CheckResult>;
  private resolve!: (result: CheckResult) => void;
  private readonly timer: NodeJS.Timeout;
  private socket: Socket | undefined;
  private connected = false;
  private settled = false;

  constructor(
    private readonly type: CheckType,
    timeoutMs: number,
  ) {
    this.result = new Promise((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.fail(`check timed out after ${timeoutMs} ms`), timeoutMs).unref();
  }

  /**
   * Opens the check's connection to a member exactly as the proxy does (openUpstream: TCP, or
   * TLS for https/wss members, with the same TLS options), so checks see what traffic sees.
   * Its errors fail the check (`tcp check: connect ECONNREFUSED` before it is established).
   */
  connect(target: UpstreamTarget): Socket {
    const socket = openUpstream(target);
    this.socket = socket;
    socket.unref();
    socket.once(target.secure ? 'secureConnect' : 'connect', () => (this.connected = true));
    socket.on('error', (error) => this.failWith(error));
    return socket;
  }

  pass(): void {
    this.settle({ ok: true });
  }

  fail(reason: string): void {
    this.settle({ ok: false, reason });
  }

  /** Fails with an error's code, as `<type> check: connect <code>` before the connection was established, `<type> check: <code>` after. */
  failWith(error: Error): void {
    this.fail(`${this.type} check: ${this.connected ? '' : 'connect '}${errorCode(error)}`);
  }

  /** Ends the check now (the checker stopped); its result is no longer wanted. */
  cancel(): void {
    this.fail('cancelled');
  }

  /** The probe closes the connection itself (a WebSocket close handshake) instead of it being destroyed when the check settles. */
  handOver(): void {
    this.socket = undefined;
  }

  private settle(result: CheckResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.socket?.destroy();
    this.resolve(result);
  }
}
