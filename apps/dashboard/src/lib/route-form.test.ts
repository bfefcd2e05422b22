import type { SnapshotRoute } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { checkDraft, draftChanged, DRAFT_ROUTE_ID, draftOf, newRouteDraft, routeBody, withDraft } from './route-form';

const saved: SnapshotRoute = { id: 'r1', balancerId: 'b1', priority: 5, host: '*.example.com', match: { type: 'regex', path: '^/api/' }, websocket: 'never', stripPrefix: true, enabled: false };

describe('route drafts', () => {
  it('start from the API defaults or from a saved route, and give back the same route', () => {
    expect(routeBody(newRouteDraft('b1'))).toEqual({ balancerId: 'b1', priority: 0, host: null, match: { type: 'prefix', path: '/' }, websocket: 'any', stripPrefix: false, enabled: true });
    const { id, ...body } = saved;
    expect(id).toBe('r1');
    expect(routeBody(draftOf(saved))).toEqual(body);
  });

  it('send an empty priority as 0, an empty host as null, text that is no number as is, the path untouched', () => {
    const body = routeBody({ ...newRouteDraft('b1'), priority: ' ', host: '  ', matchPath: '/x ' });
    expect(body).toMatchObject({ priority: 0, host: null, match: { type: 'prefix', path: '/x ' } });
    expect(routeBody({ ...newRouteDraft('b1'), priority: 'high', host: ' a.example.com ' })).toMatchObject({ priority: 'high', host: 'a.example.com' });
  });

  it('count as changed only when the body they send differs', () => {
    const draft = draftOf(saved);
    expect(draftChanged({ ...draft, priority: ' 5 ', host: ' *.example.com ' }, draft)).toBe(false);
    expect(draftChanged({ ...draft, matchPath: '^/api/v2/' }, draft)).toBe(true);
    expect(draftChanged({ ...draft, enabled: true }, draft)).toBe(true);
  });

  it('are checked with the API rules, naming fields by the API paths', () => {
    expect(checkDraft(draftOf(saved), 'r1')).toEqual({ route: saved });
    const bad = checkDraft({ ...newRouteDraft('b1'), priority: 'high', host: 'Bad Host', matchType: 'regex', matchPath: '^/(?=x)' }, DRAFT_ROUTE_ID);
    expect('errors' in bad && bad.errors.map((e) => e.path)).toEqual(['priority', 'host', 'match.path']);
    expect('errors' in bad && bad.errors[2].message).toMatch(/lookahead/);
  });

  it('take the place of the route they edit, or go last when new', () => {
    const other: SnapshotRoute = { ...saved, id: 'r2' };
    const config = { balancers: [{ id: 'b1', name: 'chat' }], routes: [saved, other] };
    const edited = { ...saved, priority: 9 };
    expect(withDraft(config, edited).routes).toEqual([edited, other]);
    const created = { ...saved, id: DRAFT_ROUTE_ID };
    expect(withDraft(config, created).routes).toEqual([saved, other, created]);
    expect(config.routes).toEqual([saved, other]);
  });
});
