import { describe, expect, it } from 'vitest';
import { runStatsStream, type StreamStatus } from './stats-stream';
import type { Stats } from '@switchboard/api-client';

const fast = { baseMs: 1, maxMs: 5, jitter: 0 };
const enc = new TextEncoder();

/** A Response whose body yields `chunks` and then ends (or hangs until aborted, if `hang`). */
function sseResponse(chunks: string[], signal: AbortSignal | null | undefined, hang = false): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      if (!hang) controller.close();
      signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

const frame = (at: string) => `event: stats\ndata: ${JSON.stringify({ at, members: [] })}\n\n`;

describe('runStatsStream', () => {
  it('delivers stats frames, reconnects when the stream ends, and stops on abort', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const statuses: StreamStatus[] = [];
    const calls: { url: string; auth: string | null }[] = [];
    const responses = [
      [frame('t1'), ': ping\n\n', 'event: other\ndata: {}\n\n', 'event: stats\ndata: {broken\n\n', frame('t2').slice(0, 10), frame('t2').slice(10)],
      [frame('t3')],
    ];
    const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
      const chunks = responses.shift();
      return sseResponse(chunks ?? [], init?.signal, chunks === undefined);
    }) as typeof fetch;
    const done = runStatsStream({
      signal: ac.signal,
      fetch: fakeFetch,
      backoff: fast,
      onStatus: (s) => statuses.push(s),
      onStats: (s: Stats) => {
        seen.push(s.at);
        if (s.at === 't3') setTimeout(() => ac.abort(), 5);
      },
    });
    await done;
    expect(seen).toEqual(['t1', 't2', 't3']);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    // The browser never sends a token: the session cookie goes along by itself.
    expect(calls[0]).toEqual({ url: '/api/v1/stats/stream', auth: null });
    expect(statuses.slice(0, 4)).toEqual(['connecting', 'live', 'reconnecting', 'live']);
  });

  it('stops and reports a 401', async () => {
    let calls = 0;
    let unauthorized = 0;
    await runStatsStream({
      signal: new AbortController().signal,
      backoff: fast,
      fetch: (async () => {
        calls++;
        return new Response('{}', { status: 401 });
      }) as typeof fetch,
      onStats: () => undefined,
      onUnauthorized: () => unauthorized++,
    });
    expect({ calls, unauthorized }).toEqual({ calls: 1, unauthorized: 1 });
  });

  it('retries failed connections and abandons a stalled stream', async () => {
    const ac = new AbortController();
    let calls = 0;
    const seen: string[] = [];
    await runStatsStream({
      signal: ac.signal,
      backoff: fast,
      stallMs: 50,
      fetch: (async (_input: RequestInfo | URL, init?: RequestInit) => {
        calls++;
        if (calls === 1) throw new TypeError('fetch failed');
        if (calls === 2) return new Response('oops', { status: 502 });
        if (calls === 3) return sseResponse([frame('before-stall')], init?.signal, true); // then silence
        return sseResponse([frame('after-stall')], init?.signal, true);
      }) as typeof fetch,
      onStats: (s) => {
        seen.push(s.at);
        if (s.at === 'after-stall') ac.abort();
      },
    });
    expect(calls).toBe(4);
    expect(seen).toEqual(['before-stall', 'after-stall']);
  });
});
