/** The side of an HTTP exchange the agent is waiting on. */
export type StallSide = 'client' | 'member';

/**
 * One timer per HTTP exchange for whichever side the agent waits on: the client sending its
 * body (SWITCHBOARD_REQUEST_BODY_IDLE_MS, restarted by every chunk) or the member taking the
 * body and answering with its response head (timeouts.responseHeaderMs, as HAProxy's
 * `timeout server` and NGINX's `proxy_read_timeout`). Only one side is waited on at a time, so
 * a slow client never counts against the member nor a member that holds the body back against
 * the client. A limit of 0 ms waits forever. `onStall` runs at most once, with the side that stalled.
 */
export class StallTimer {
  private timer: NodeJS.Timeout | undefined;
  private side: StallSide | undefined;
  private stopped = false;

  constructor(private readonly onStall: (side: StallSide, limitMs: number) => void) {}

  /** Waits on `side` for up to `limitMs` milliseconds from now, instead of what was waited on before; nothing once stopped. */
  wait(side: StallSide, limitMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.side = side;
    this.timer = limitMs > 0 ? setTimeout(() => this.onStall(side, limitMs), limitMs) : undefined;
  }

  /** `side` made progress: its time starts again if it is the side waited on. */
  refresh(side: StallSide): void {
    if (this.side === side) this.timer?.refresh();
  }

  /** Nothing is waited on any more (the response head came, or the exchange ended). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.side = undefined;
  }
}
