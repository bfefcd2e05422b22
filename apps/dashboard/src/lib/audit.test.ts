import { describe, expect, it } from 'vitest';
import { auditQuery, filtersFromSearch, isoToLocalInput, localInputToIso, revisionHref, searchFromFilters, snapshotText } from './audit';

describe('filters ↔ page URL', () => {
  it('reads the known filters, trimmed, and ignores empty values and other parameters', () => {
    const search = new URLSearchParams('actor=ops&action=%20member.%20&target=&since=2026-12-01T09:00:00.000Z&cursor=abc&utm=x');
    expect(filtersFromSearch(search)).toEqual({ actor: 'ops', action: 'member.', since: '2026-12-01T09:00:00.000Z' });
    expect(filtersFromSearch(new URLSearchParams(''))).toEqual({});
  });

  it('writes filters in a fixed order, encoded, leaving empty ones out', () => {
    expect(searchFromFilters({ until: '2026-12-01T10:00:00.000Z', actor: 'ops team', action: '', target: 'balancer:b1' })).toBe(
      'actor=ops+team&target=balancer%3Ab1&until=2026-12-01T10%3A00%3A00.000Z',
    );
    expect(searchFromFilters({})).toBe('');
  });

  it('round-trips: a URL written from filters reads back as the same filters', () => {
    const filters = { actor: 'a&b=c', action: 'member.', target: 'member:m 1', since: '2026-12-01T09:00:00.000Z', until: '2026-12-02T09:00:00.000Z' };
    expect(filtersFromSearch(new URLSearchParams(searchFromFilters(filters)))).toEqual(filters);
  });
});

describe('auditQuery', () => {
  it('asks the API for the filters, and for the page older than a cursor', () => {
    expect(auditQuery({})).toEqual({});
    expect(auditQuery({ action: ' member. ', actor: '' })).toEqual({ action: 'member.' });
    expect(auditQuery({ action: 'member.' }, 'WyIy_-')).toEqual({ action: 'member.', cursor: 'WyIy_-' });
    expect(auditQuery({}, 'WyIy')).toEqual({ cursor: 'WyIy' });
  });
});

describe('datetime-local ↔ ISO UTC', () => {
  it('reads the input in the browser zone and answers UTC', () => {
    expect(localInputToIso('2026-12-01T14:05')).toBe(new Date(2026, 11, 1, 14, 5, 0).toISOString());
    expect(localInputToIso('2026-12-01T14:05:09')).toBe(new Date(2026, 11, 1, 14, 5, 9).toISOString());
    expect(localInputToIso('2026-12-01T14:05')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
  });

  it('answers undefined for an empty or foreign value', () => {
    for (const value of ['', '  ', '2026-12-01', '14:05', 'yesterday', '2026-12-01T14:05Z', '2026-13-01T14:05']) expect(localInputToIso(value), value).toBeUndefined();
  });

  it('shows an ISO time in the browser zone, with seconds only when there are some', () => {
    expect(isoToLocalInput(new Date(2026, 11, 1, 14, 5, 0).toISOString())).toBe('2026-12-01T14:05');
    expect(isoToLocalInput(new Date(2026, 0, 2, 3, 4, 5).toISOString())).toBe('2026-01-02T03:04:05');
    expect(isoToLocalInput(undefined)).toBe('');
    expect(isoToLocalInput('nonsense')).toBe('');
  });

  it('round-trips between the two', () => {
    for (const local of ['2026-12-01T14:05', '2026-06-30T23:59:59', '2027-03-28T02:30']) {
      const iso = localInputToIso(local)!;
      expect(localInputToIso(isoToLocalInput(iso))).toBe(iso);
    }
  });

  it('does not depend on the zone it runs in', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Kolkata';
      expect(localInputToIso('2026-12-01T14:05')).toBe('2026-12-01T08:35:00.000Z');
      expect(isoToLocalInput('2026-12-01T08:35:00.000Z')).toBe('2026-12-01T14:05');
      process.env.TZ = 'UTC';
      expect(localInputToIso('2026-12-01T14:05')).toBe('2026-12-01T14:05:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('snapshotText and revisionHref', () => {
  it('shows before/after as indented JSON text, markup included as text', () => {
    expect(snapshotText(null)).toBe('(none)');
    expect(snapshotText({ name: '<img src=x onerror=alert(1)>', weight: 3 })).toBe('{\n  "name": "<img src=x onerror=alert(1)>",\n  "weight": 3\n}');
  });

  it('links a revision to the Revisions page', () => {
    expect(revisionHref(12)).toBe('/revisions?rev=12');
  });
});
