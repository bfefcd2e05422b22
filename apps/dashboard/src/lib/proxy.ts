// Server side of the dashboard's `/api/v1/*` pass-through to the control plane. The browser only
// ever talks to the dashboard's origin; the control plane's address is read at request time.

import { MAX_FORWARDED_BODY_BYTES, readBodyUpTo } from './body-limit';

export const DEFAULT_API_URL = 'http://127.0.0.1:4000';

/**
 * Request headers worth passing on; everything else (cookies, Next internals) stays here.
 * `Authorization` is not among them: the only credential forwarded is the session cookie's
 * token (`ProxyOptions.token`), so a page script cannot pick another identity.
 */
const FORWARDED_REQUEST_HEADERS = [
  'accept',
  'accept-language',
  'content-type',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'last-event-id',
  'idempotency-key',
  'prefer',
  'user-agent',
  'x-request-id',
  'x-correlation-id',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
];

/**
 * Response headers that must not be copied: hop-by-hop ones (RFC 9110 §7.6.1), and the body
 * framing, because fetch() hands us a decoded body whose length the server recomputes.
 */
const DROPPED_RESPONSE_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'content-encoding',
  'content-length',
]);

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function upstreamUrl(requestUrl: string, baseUrl: string): string {
  const { pathname, search } = new URL(requestUrl);
  return baseUrl.replace(/\/+$/, '') + pathname + search;
}

export function forwardedRequestHeaders(incoming: Headers): Headers {
  const out = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = incoming.get(name);
    if (value !== null) out.set(name, value);
  }
  return out;
}

export function returnedResponseHeaders(upstream: Headers): Headers {
  const out = new Headers();
  upstream.forEach((value, name) => {
    if (!DROPPED_RESPONSE_HEADERS.has(name)) out.append(name, value);
  });
  if ((upstream.get('content-type') ?? '').startsWith('text/event-stream')) {
    // no-transform keeps Next's gzip (and any intermediary) from buffering the feed.
    out.set('cache-control', 'no-cache, no-transform');
    out.set('x-accel-buffering', 'no');
  } else if (!out.has('cache-control')) {
    out.set('cache-control', 'no-store');
  }
  return out;
}

/** A problem+json (RFC 9457) answer made by the dashboard itself. */
export function problem(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' },
  });
}

export interface ProxyOptions {
  baseUrl: string;
  /** The session's API token, sent as `Authorization: Bearer`; none: the call goes without. */
  token?: string | null;
  /** Larger request bodies get 413 and are not forwarded; default 1 MiB. */
  maxBodyBytes?: number;
  fetch?: typeof fetch;
}

/**
 * Forwards `request` to the control plane and streams the answer back. Answers 413 itself,
 * without calling the control plane, when the body exceeds `maxBodyBytes`.
 */
export async function proxyToControlPlane(request: Request, opts: ProxyOptions): Promise<Response> {
  const doFetch = opts.fetch ?? fetch;
  const target = upstreamUrl(request.url, opts.baseUrl);
  const method = request.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const headers = forwardedRequestHeaders(request.headers);
  if (opts.token) headers.set('authorization', `Bearer ${opts.token}`);
  const maxBodyBytes = opts.maxBodyBytes ?? MAX_FORWARDED_BODY_BYTES;
  let upstream: Response;
  try {
    const body = hasBody ? await readBodyUpTo(request, maxBodyBytes) : undefined;
    if (body?.tooLarge) return problem(413, 'Content Too Large', `The request body exceeds ${maxBodyBytes} bytes.`);
    upstream = await doFetch(target, {
      method,
      headers,
      body: body && body.bytes.byteLength > 0 ? body.bytes : undefined,
      // The browser going away (tab closed, EventSource-style reader cancelled) ends the upstream call.
      signal: request.signal,
      redirect: 'manual',
      cache: 'no-store',
    });
  } catch (err) {
    if (request.signal.aborted) return new Response(null, { status: 499 });
    console.error(`dashboard: control plane unreachable at ${opts.baseUrl}:`, err);
    return problem(502, 'Bad Gateway', 'The control plane could not be reached.');
  }
  const status = upstream.status;
  return new Response(NULL_BODY_STATUSES.has(status) || method === 'HEAD' ? null : upstream.body, {
    status,
    statusText: upstream.statusText,
    headers: returnedResponseHeaders(upstream.headers),
  });
}
