import { createApiClient, type ApiClient, type ConfigChange, type Problem } from '@switchboard/api-client';
import { redirectToLogin } from './session';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problemMessage(status, problem));
    this.name = 'ApiError';
  }
}

/** The text shown for a failed call: the problem's detail or title; for status 0 (no answer) that the dashboard server could not be reached. */
export function problemMessage(status: number, problem: Problem | null): string {
  const text = problem?.detail || problem?.title;
  if (text) return text;
  if (status === 0) return 'The dashboard server could not be reached.';
  return `Request failed with HTTP ${status}.`;
}

/** Field errors as "path: message" lines; the path is omitted when empty. */
export function fieldErrors(problem: Problem | null): string[] {
  return (problem?.errors ?? []).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
}

/** The problem a JSON error answer carries; null for anything else (an HTML error page, bad JSON). */
export async function parseProblem(res: Response): Promise<Problem | null> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  try {
    const body: unknown = await res.json();
    return body && typeof body === 'object' ? (body as Problem) : null;
  } catch {
    return null;
  }
}

/**
 * The fetch under `client`: never cached; a network failure throws ApiError status 0 (an abort
 * throws as is); 401 (the session's token is gone, and the forwarder has removed the cookie)
 * leaves for the login page; any other non-2xx answer throws ApiError with its problem.
 */
export async function sendApiRequest(request: Request): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(request, { cache: 'no-store' });
  } catch (err) {
    if (request.signal.aborted) throw err;
    throw new ApiError(0, null);
  }
  if (res.status === 401) redirectToLogin();
  if (!res.ok) throw new ApiError(res.status, await parseProblem(res));
  return res;
}

/**
 * The control plane's typed client, same-origin through the dashboard's `/api/v1` pass-through:
 * the session cookie goes along by itself and the dashboard turns it into the bearer token.
 * A call resolves only with a 2xx answer and throws ApiError otherwise (see sendApiRequest);
 * wrap it in `answer()` for its body and headers.
 */
export const client: ApiClient = createApiClient('', { headers: { Accept: 'application/json' }, fetch: sendApiRequest });

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** What a `client` call resolved with, as body (undefined only for an empty answer), status and headers. */
export async function answer<T>(pending: Promise<{ data?: T; response: Response }>): Promise<ApiResponse<T>> {
  const { data, response } = await pending;
  return { status: response.status, body: data as T, headers: response.headers };
}

/** How a write is sent: as a dry run (`?dryRun=true`, answering a ConfigChange) or for real, optionally bound to a revision. */
export interface WriteMode {
  dryRun?: boolean;
  /** `If-Match`: the revision the write expects to be current (412 otherwise). */
  ifMatch?: number;
}

/** The `query` and `header` parameters of a write sent in `mode`, to spread into the call's `params`. */
export function writeParams(mode: WriteMode = {}): { query?: { dryRun: 'true' }; header?: { 'If-Match': string } } {
  return {
    ...(mode.dryRun ? { query: { dryRun: 'true' } as const } : {}),
    ...(mode.ifMatch !== undefined ? { header: { 'If-Match': String(mode.ifMatch) } } : {}),
  };
}

/**
 * A form's body as the write's body type. Forms send what was typed (text where a number
 * belongs, say) rather than checking it themselves, so that the control plane's 400 names the
 * bad field with its path; the API is what validates it.
 */
export function formBody<T>(body: Record<string, unknown>): T & {} {
  return body as T & {};
}

/** A write's answer: the resource it returns, or the ConfigChange of a dry run. */
export type WriteAnswer<T> = ApiResponse<T | ConfigChange | undefined>;

/** The resource a write sent without `dryRun` answered (its type without the dry run's ConfigChange). */
export function resourceOf<T>(res: WriteAnswer<T>): T {
  return res.body as T;
}

/** `Switchboard-Revision` of a write's answer, if present. */
export function revisionOf(headers: Headers): number | null {
  const raw = headers.get('switchboard-revision');
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

/** A failed call as a form shows it: the message, and the problem whose `errors[]` name fields. */
export interface Failure {
  message: string;
  problem: Problem | null;
}

/** The Failure of whatever a `client` call threw. */
export function failureOf(err: unknown): Failure {
  return err instanceof ApiError ? { message: err.message, problem: err.problem } : { message: 'The request failed.', problem: null };
}
