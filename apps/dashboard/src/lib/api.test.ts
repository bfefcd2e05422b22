import { describe, expect, it } from 'vitest';
import { ApiError, failureOf, fieldErrors, parseProblem, problemMessage, revisionOf } from './api';

describe('problem handling', () => {
  it('prefers detail, then title, then the status', () => {
    expect(problemMessage(400, { title: 'Bad Request', detail: 'weight must be 1–100' })).toBe('weight must be 1–100');
    expect(problemMessage(404, { title: 'Not Found' })).toBe('Not Found');
    expect(problemMessage(500, null)).toBe('Request failed with HTTP 500.');
    expect(problemMessage(0, null)).toMatch(/could not be reached/);
  });

  it('lists field errors', () => {
    expect(fieldErrors({ errors: [{ path: 'weight', message: 'too big' }, { path: '', message: 'bad' }] })).toEqual(['weight: too big', 'bad']);
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
    const problem = { detail: 'Invalid body', errors: [{ path: 'windowMs', message: 'must not exceed deadlineMs' }] };
    expect(failureOf(new ApiError(400, problem))).toEqual({ message: 'Invalid body', problem });
    expect(failureOf(new SyntaxError('Unexpected token'))).toEqual({ message: 'The request failed.', problem: null });
  });
});
