// The dashboard's own login: checks an API token against the control plane (`GET /api/v1/me`)
// and, when it is accepted, keeps it in the session cookie. The browser never holds the token
// anywhere a script can read it.

import { readBodyUpTo } from './body-limit';
import { problem } from './proxy';
import { clearedSessionCookie, isSecureRequest, sessionCookie, tokenProblem } from './session-cookie';

/** A login body is `{"token":"…"}`: a few hundred bytes at most. */
const MAX_LOGIN_BODY_BYTES = 4096;

/** How long the control plane may take to answer `GET /me` before the login answers 504. */
export const LOGIN_CHECK_TIMEOUT_MS = 10_000;

export interface LoginOptions {
  /** The control plane's base URL. */
  baseUrl: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

function badToken(detail: string): Response {
  return Response.json(
    { type: 'about:blank', title: 'Bad Request', status: 400, detail: `token ${detail}`, errors: [{ path: 'token', message: detail }] },
    { status: 400, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } },
  );
}

async function tokenOf(request: Request): Promise<{ token: string } | { refusal: Response }> {
  const body = await readBodyUpTo(request, MAX_LOGIN_BODY_BYTES);
  if (body.tooLarge) return { refusal: problem(413, 'Content Too Large', `A login body is at most ${MAX_LOGIN_BODY_BYTES} bytes.`) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(body.bytes));
  } catch {
    return { refusal: problem(400, 'Bad Request', 'The body must be JSON: {"token": "…"}.') };
  }
  const token = parsed && typeof parsed === 'object' ? (parsed as { token?: unknown }).token : undefined;
  const why = tokenProblem(token);
  return why === null ? { token: token as string } : { refusal: badToken(why) };
}

/** Asks the control plane who `token` is: its answer, or the 502/504 problem to send when it cannot say. */
async function checkToken(token: string, opts: LoginOptions): Promise<{ answer: Response } | { failure: Response }> {
  const doFetch = opts.fetch ?? fetch;
  try {
    const answer = await doFetch(`${opts.baseUrl.replace(/\/+$/, '')}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      cache: 'no-store',
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? LOGIN_CHECK_TIMEOUT_MS),
    });
    return { answer };
  } catch (err) {
    if (err instanceof DOMException && err.name === 'TimeoutError') {
      return { failure: problem(504, 'Gateway Timeout', 'The control plane did not answer the token check in time.') };
    }
    console.error(`dashboard: control plane unreachable at ${opts.baseUrl}:`, err);
    return { failure: problem(502, 'Bad Gateway', 'The control plane could not be reached.') };
  }
}

/** The body of a 200 from `/me`, or null when it is not a JSON object. */
async function principalOf(answer: Response): Promise<object | null> {
  try {
    const body: unknown = await answer.json();
    return body && typeof body === 'object' ? body : null;
  } catch {
    return null;
  }
}

function unavailable(retryAfter: string | null): Response {
  const res = problem(503, 'Service Unavailable', 'The control plane is unavailable; try again shortly.');
  if (retryAfter) res.headers.set('retry-after', retryAfter);
  return res;
}

/**
 * `POST /session` with `{"token": "…"}`: 200 with the caller (`{ id, name, role }`) and the
 * session cookie set; 400 naming `token` when it is malformed; 401 when the control plane
 * refuses it; 403 when it may not read `/me`; 503 (with its `Retry-After`) when the control
 * plane says it is unavailable; 502/504 when it cannot be reached or does not answer within
 * `timeoutMs` (default 10 s); 502 for any other answer. Nothing is set unless the control plane accepted the token.
 * The caller has already checked that the request is same-origin.
 */
export async function login(request: Request, opts: LoginOptions): Promise<Response> {
  const read = await tokenOf(request);
  if ('refusal' in read) return read.refusal;
  const checked = await checkToken(read.token, opts);
  if ('failure' in checked) return checked.failure;
  const { answer } = checked;
  if (answer.status !== 200) await answer.body?.cancel();
  if (answer.status === 401) return problem(401, 'Unauthorized', 'That token was not accepted.');
  if (answer.status === 403) return problem(403, 'Forbidden', 'That token may not use the dashboard.');
  if (answer.status === 503) return unavailable(answer.headers.get('retry-after'));
  const me = answer.status === 200 ? await principalOf(answer) : null;
  if (!me) return problem(502, 'Bad Gateway', `The control plane answered the token check with HTTP ${answer.status}${answer.status === 200 ? ' but no JSON object' : ''}.`);
  return Response.json(me, {
    status: 200,
    headers: { 'cache-control': 'no-store', 'set-cookie': sessionCookie(read.token, isSecureRequest(request)) },
  });
}

/** `DELETE /session`: 204 and the session cookie removed (whether or not there was one). */
export function logout(request: Request): Response {
  return new Response(null, {
    status: 204,
    headers: { 'cache-control': 'no-store', 'set-cookie': clearedSessionCookie(isSecureRequest(request)) },
  });
}
