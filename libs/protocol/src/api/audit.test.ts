import { describe, expect, it } from 'vitest';
import { auditQuery, decodeAuditCursor, encodeAuditCursor } from './audit';

/** The paths of the issues of a refused query, sorted. */
function badPaths(query: unknown): string[] {
  const result = auditQuery.safeParse(query);
  if (result.success) throw new Error(`accepted ${JSON.stringify(query)}`);
  return result.error.issues.map((i) => i.path.join('.')).sort();
}

describe('auditQuery', () => {
  it('defaults limit to 50 and reads times as Dates', () => {
    expect(auditQuery.parse({})).toEqual({ limit: 50 });
    const q = auditQuery.parse({ actor: 'ops', action: 'member.', target: 'balancer:b1', since: '2026-12-01T10:00:00+01:00', until: '2026-12-01T09:00:00Z', limit: '500' });
    expect(q).toEqual({ actor: 'ops', action: 'member.', target: 'balancer:b1', since: new Date('2026-12-01T09:00:00Z'), until: new Date('2026-12-01T09:00:00Z'), limit: 500 });
  });

  it('names each bad parameter, since after until as well, in one pass', () => {
    expect(badPaths({ since: '2026-12-02T00:00:00Z', until: '2026-12-01T00:00:00Z', limit: 'x', cursor: 'abc!' })).toEqual(['cursor', 'limit', 'since']);
    expect(badPaths({ since: '2026-02-30T00:00:00Z', until: 'yesterday' })).toEqual(['since', 'until']);
    expect(badPaths({ since: '2026-12-01' })).toEqual(['since']); // no time of day
    expect(badPaths({ limit: '0' })).toEqual(['limit']);
    expect(badPaths({ limit: '501' })).toEqual(['limit']);
    expect(badPaths({ limit: '2.5' })).toEqual(['limit']);
    expect(badPaths({ actor: '' })).toEqual(['actor']);
    expect(badPaths({ action: ['member.', 'route.'] })).toEqual(['action']);
  });

  it('refuses parameters it does not know', () => {
    const result = auditQuery.safeParse({ actor: 'ops', sort: 'asc' });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['sort'] })]);
  });

  it('turns a cursor back into the position it was made from', () => {
    const position = { createdAt: new Date('2026-12-01T10:00:00.123Z'), id: '5c6f1f0e-8a8b-4d8e-9d0a-2f0c3b1f9e7a' };
    const cursor = encodeAuditCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAuditCursor(cursor)).toEqual(position);
    expect(auditQuery.parse({ cursor }).cursor).toEqual(position);
  });

  it('refuses a cursor it did not make', () => {
    const cursor = encodeAuditCursor({ createdAt: new Date('2026-12-01T10:00:00Z'), id: 'e1' });
    const b64 = (text: string) => btoa(text).replace(/=+$/, '');
    for (const tampered of [cursor.slice(0, -3), `${cursor}!`, b64('not json'), b64('["yesterday","e1"]'), b64('["2026-12-01T10:00:00.000Z"]'), b64('{"t":1}'), '']) {
      expect(decodeAuditCursor(tampered), tampered).toBeNull();
    }
    expect(badPaths({ cursor: cursor.slice(0, -3) })).toEqual(['cursor']);
  });
});
