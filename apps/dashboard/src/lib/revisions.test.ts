import { describe, expect, it } from 'vitest';
import { comparedPair, revisionParam, revisionsHref, rollbackFailureText, shortHash } from './revisions';

describe('revisionParam', () => {
  it('reads plain non-negative integers and nothing else', () => {
    expect(revisionParam('12')).toBe(12);
    expect(revisionParam('0')).toBe(0);
    expect(revisionParam(['7', '9'])).toBe(7);
    for (const bad of [undefined, '', '-1', '1.5', '1e3', ' 3', 'abc', '1234567890']) expect(revisionParam(bad)).toBeNull();
  });
});

describe('comparedPair', () => {
  it('compares a revision with its predecessor by default', () => {
    expect(comparedPair(5, null)).toEqual({ older: 4, newer: 5 });
  });
  it('orders the pair older → newer whichever way round it is asked', () => {
    expect(comparedPair(3, 8)).toEqual({ older: 3, newer: 8 });
    expect(comparedPair(8, 3)).toEqual({ older: 3, newer: 8 });
  });
  it('has nothing to compare for revision 0 alone or a revision against itself', () => {
    expect(comparedPair(0, null)).toBeNull();
    expect(comparedPair(4, 4)).toBeNull();
    expect(comparedPair(0, 2)).toEqual({ older: 0, newer: 2 });
  });
});

describe('revisionsHref', () => {
  it('names against only when it is not the predecessor', () => {
    expect(revisionsHref(5)).toBe('/revisions?rev=5');
    expect(revisionsHref(5, 4)).toBe('/revisions?rev=5');
    expect(revisionsHref(5, null)).toBe('/revisions?rev=5');
    expect(revisionsHref(5, 2)).toBe('/revisions?rev=5&against=2');
  });
});

describe('shortHash', () => {
  it('keeps the first 10 hex digits', () => {
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789');
  });
});

describe('rollbackFailureText', () => {
  it('explains a 412 with the control plane detail and asks for a new preview', () => {
    const text = rollbackFailureText(412, { type: 'about:blank', title: 'Precondition Failed', status: 412, detail: 'If-Match names revision 7 but the configuration is at revision 8' }, 3);
    expect(text).toContain('changed after this preview (If-Match names revision 7 but the configuration is at revision 8)');
    expect(text).toContain('Nothing was rolled back');
    expect(text).toContain('revision 3');
  });
  it('names a database outage, a missing revision and a refused role', () => {
    expect(rollbackFailureText(503, { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: '' }, 3)).toMatch(/cannot reach its database.*Nothing was rolled back/);
    expect(rollbackFailureText(404, null, 99)).toBe('Revision 99 does not exist. Nothing was rolled back.');
    expect(rollbackFailureText(403, null, 3)).toMatch(/Only admins/);
  });
  it('does not claim to know the outcome when nothing answered', () => {
    expect(rollbackFailureText(0, null, 3)).not.toContain('Nothing was rolled back');
  });
  it('falls back to the problem, else the status', () => {
    expect(rollbackFailureText(409, { type: 'about:blank', title: 'Conflict', status: 409, detail: 'member url has credentials' }, 3)).toBe('member url has credentials Nothing was rolled back.');
    expect(rollbackFailureText(500, null, 3)).toBe('The rollback failed with HTTP 500. Nothing was rolled back.');
  });
});
