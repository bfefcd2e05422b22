import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Problem } from '@switchboard/api-client';
import { ApiError, failureOf, fieldErrors, parseProblem, problemMessage, resourceOf, revisionOf, sendApiRequest, writeParams } from './api';

const redirected = vi.hoisted(() => vi.fn());
vi.mock('./session', () => ({ redirectToLogin: redirected }));

const problem = (fields: Partial<Problem>): Problem => ({ type: 'about:blank', title: '', status: 400, detail: '', ...fields });

describe('problem handling', () => {
  it('prefers detail, then title, then the status', () => {
    expect(problemMessage(400, problem({ title: 'Bad Request', detail: 'weight must be 1–100' }))).toBe('weight must be 1–100');
    expect(problemMessage(404, problem({ title: 'Not Found' }))).toBe('Not Found');
    expect(problemMessage(500, null)).toBe('Request failed with HTTP 500.');
    expect(problemMessage(0, null)).toMatch(/could not be reached/);
  });

  it('lists field errors', () => {
    expect(fieldErrors(problem({ errors: [{ path: 'weight', message: 'too big' }, { path: '', message: 'bad' }] }))).toEqual(['weight: too big', 'bad']);
    expect(fieldErrors(null)).toEqual([]);
  });

  it('parses problem+json bodies and ignores others', async () => {
    const p = new Response(JSON.stringify({ status: 400, detail: 'nope' }), { headers: { 'content-type': 'application/problem+json' } });
    expect(await parseProblem(p)).toEqual({ status: 400, detail: 'nope' });
    expect(await parseProblem(new Response('<html>', { headers: { 'content-type': 'text/html' } }))).toBeNull();
    expect(await parseProblem(new Response('{oops', { headers: { 'content-type': 'application/json' } }))).toBeNull();
  });

  it('reads the revision header', () => {
    expect(revisionOf(new Headers({ 'Switchboard-Revision': '42' }))).toBe(42);
    expect(revisionOf(new Headers({ 'Switchboard-Revision': 'x' }))).toBeNull();
    expect(revisionOf(new Headers())).toBeNull();
  });

  it('turns what a call threw into a failure a form can show', () => {
    const invalid = problem({ detail: 'Invalid body', errors: [{ path: 'windowMs', message: 'must not exceed deadlineMs' }] });
    expect(failureOf(new ApiError(400, invalid))).toEqual({ message: 'Invalid body', problem: invalid });
    expect(failureOf(new SyntaxError('Unexpected token'))).toEqual({ message: 'The request failed.', problem: null });
  });
});

describe('writeParams', () => {
  it('adds dryRun=true for a preview and If-Match for a bound save', () => {
    expect(writeParams()).toEqual({});
    expect(writeParams({ dryRun: true })).toEqual({ query: { dryRun: 'true' } });
    expect(writeParams({ ifMatch: 7 })).toEqual({ header: { 'If-Match': '7' } });
    expect(writeParams({ dryRun: false, ifMatch: 0 })).toEqual({ header: { 'If-Match': '0' } });
  });

  it('gives the resource of a write answer', () => {
    expect(resourceOf({ status: 201, body: { id: 'b1' }, headers: new Headers() })).toEqual({ id: 'b1' });
  });
});

describe('sendApiRequest', () => {
  const request = (signal?: AbortSignal) => new Request('http://dashboard.test/api/v1/balancers', { signal });
  const answering = (res: Response | Error) => vi.fn(() => (res instanceof Error ? Promise.reject(res) : Promise.resolve(res)));

  afterEach(() => {
    vi.unstubAllGlobals();
    redirected.mockClear();
  });

  it('passes a 2xx answer through, never cached', async () => {
    const fetch = answering(new Response('[]', { status: 200 }));
    vi.stubGlobal('fetch', fetch);
    expect((await sendApiRequest(request())).status).toBe(200);
    expect(fetch).toHaveBeenCalledWith(expect.any(Request), { cache: 'no-store' });
  });

  it('throws ApiError with the problem of a non-2xx answer', async () => {
    const body = { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Invalid body', errors: [{ path: 'weight', message: 'too big' }] };
    vi.stubGlobal('fetch', answering(new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/problem+json' } })));
    const err = await sendApiRequest(request()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, problem: body, message: 'Invalid body' });
    expect(redirected).not.toHaveBeenCalled();
  });

  it('leaves for the login page on 401', async () => {
    vi.stubGlobal('fetch', answering(new Response('', { status: 401 })));
    await expect(sendApiRequest(request())).rejects.toMatchObject({ status: 401 });
    expect(redirected).toHaveBeenCalledTimes(1);
  });

  it('turns a network failure into status 0, but lets an abort through', async () => {
    vi.stubGlobal('fetch', answering(new TypeError('fetch failed')));
    await expect(sendApiRequest(request())).rejects.toMatchObject({ status: 0, message: 'The dashboard server could not be reached.' });
    const ac = new AbortController();
    ac.abort();
    const aborted = new DOMException('aborted', 'AbortError');
    vi.stubGlobal('fetch', answering(aborted));
    await expect(sendApiRequest(request(ac.signal))).rejects.toBe(aborted);
  });
});
