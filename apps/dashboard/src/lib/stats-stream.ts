import { backoffDelay, type BackoffOptions } from './backoff';
import { SseParser } from './sse';
import type { Stats } from '@switchboard/api-client';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting';

export interface StatsStreamOptions {
  signal: AbortSignal;
  onStats: (snapshot: Stats) => void;
  onStatus?: (status: StreamStatus) => void;
  /** Called once on a 401; the loop then stops. */
  onUnauthorized?: () => void;
  url?: string;
  /** Reconnect when nothing (not even a comment) arrives for this long. The feed ticks every ~1 s. */
  stallMs?: number;
  backoff?: BackoffOptions;
  fetch?: typeof fetch;
}

/**
 * Reads `GET /api/v1/stats/stream` until `signal` aborts, reconnecting with jittered
 * exponential backoff whenever the stream fails, ends or stalls.
 */
export async function runStatsStream(opts: StatsStreamOptions): Promise<void> {
  const { signal } = opts;
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const url = opts.url ?? '/api/v1/stats/stream';
  const stallMs = opts.stallMs ?? 10_000;
  const status = (s: StreamStatus) => opts.onStatus?.(s);
  let attempt = 0;

  status('connecting');
  while (!signal.aborted) {
    const conn = new AbortController();
    const abortConn = () => conn.abort();
    signal.addEventListener('abort', abortConn, { once: true });
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const armStallTimer = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => conn.abort(), stallMs);
    };
    try {
      armStallTimer();
      const res = await doFetch(url, {
        headers: { Accept: 'text/event-stream' }, // the session cookie goes along by itself
        cache: 'no-store',
        signal: conn.signal,
      });
      if (res.status === 401) {
        opts.onUnauthorized?.();
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stats stream answered ${res.status}`);
      status('live');
      const parser = new SseParser((event) => {
        if (event.event !== 'stats') return;
        let snapshot: Stats;
        try {
          snapshot = JSON.parse(event.data) as Stats;
        } catch {
          return; // a malformed frame is skipped, not fatal
        }
        attempt = 0;
        try {
          opts.onStats(snapshot);
        } catch (err) {
          console.error('stats handler failed', err);
        }
      });
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        armStallTimer();
        parser.push(decoder.decode(value, { stream: true }));
      }
    } catch {
      // network error, stall or abort: fall through to the reconnect below
    } finally {
      clearTimeout(stallTimer);
      signal.removeEventListener('abort', abortConn);
      conn.abort();
    }
    if (signal.aborted) return;
    status('reconnecting');
    await sleep(backoffDelay(attempt++, opts.backoff), signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
