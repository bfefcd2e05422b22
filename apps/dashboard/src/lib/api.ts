import { redirectToLogin } from './session';
import type { Problem } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problemMessage(status, problem));
    this.name = 'ApiError';
  }
}

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

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

export interface ApiOptions {
  signal?: AbortSignal;
  /** Extra request headers, e.g. `If-Match` with the revision a write was previewed against. */
  headers?: Record<string, string>;
}

/**
 * Calls the control plane through the dashboard's `/api/v1` pass-through. `path` starts after
 * /api/v1. The session cookie goes along by itself; the dashboard turns it into the bearer token.
 */
export async function api<T>(method: string, path: string, body?: unknown, opts: ApiOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal: opts.signal,
    });
  } catch (err) {
    if (opts.signal?.aborted) throw err;
    throw new ApiError(0, null);
  }
  // 401: the session's token is gone (revoked, or no cookie); the forwarder has removed the cookie.
  if (res.status === 401) redirectToLogin();
  if (!res.ok) throw new ApiError(res.status, await parseProblem(res));
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
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

/** The Failure of whatever `api()` threw. */
export function failureOf(err: unknown): Failure {
  return err instanceof ApiError ? { message: err.message, problem: err.problem } : { message: 'The request failed.', problem: null };
}
