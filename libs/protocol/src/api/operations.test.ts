import { describe, expect, it } from 'vitest';
import { operationList, operations, pathParams, problemStatuses } from './operations';

describe('operations table', () => {
  it('has one operation per method and path, each id its key', () => {
    const routes = operationList.map((op) => `${op.method} ${op.path}`);
    expect(new Set(routes).size).toBe(routes.length);
    for (const [key, op] of Object.entries(operations)) expect(op.id).toBe(key);
  });

  it('keeps writes from viewers and the public, and everything but health and metrics behind a token under /api/v1', () => {
    expect(operationList.filter((op) => op.write && (op.role === 'viewer' || op.role === 'public')).map((op) => op.id)).toEqual([]);
    expect(operationList.filter((op) => op.role === 'public').map((op) => op.path)).toEqual(['/healthz', '/readyz', '/metrics']);
    expect(operationList.filter((op) => op.role !== 'public' && !op.path.startsWith('/api/v1/')).map((op) => op.id)).toEqual([]);
  });

  it('derives the problem answers of an operation from what it does', () => {
    expect(pathParams('/api/v1/balancers/{balancerId}/members/{id}/drain')).toEqual(['balancerId', 'id']);
    expect(problemStatuses(operations.listBalancers)).toEqual([401, 403, 503]);
    expect(problemStatuses(operations.getBalancer)).toEqual([401, 403, 404, 503]);
    expect(problemStatuses(operations.updateMember)).toEqual([400, 401, 403, 404, 409, 412, 503]);
    expect(problemStatuses(operations.listRevisions)).toEqual([400, 401, 403, 503]);
    expect(problemStatuses(operations.getReadiness)).toEqual([503]);
  });
});
