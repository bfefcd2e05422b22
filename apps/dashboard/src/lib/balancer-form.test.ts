import { describe, expect, it } from 'vitest';
import { BALANCER_FIELDS, balancerBody, balancerFieldShown, balancerValues, newBalancerValues } from './balancer-form';
import type { Balancer } from '@switchboard/api-client';

const balancer: Balancer = {
  id: 'b1',
  name: 'chat',
  lbMethod: 'bybusyness',
  sticky: { mode: 'cookie', name: 'ROUTE' },
  hash: { source: 'ip', name: null },
  slowStartMs: 0,
  hostHeader: { mode: 'keep', value: null },
  timeouts: { connectMs: 3000, tunnelIdleMs: 3600000, keepAliveMs: 15000, responseHeaderMs: 60000 },
  limits: { maxTunnelsPerMember: 0, queueTimeoutMs: 0 },
  failover: { retries: 2 },
  healthCheck: { type: 'http', path: '/health', expectStatus: 200, intervalMs: 5000, timeoutMs: 2000, passes: 2, fails: 3 },
  passiveHealth: { fails: 1, retryMs: 10000 },
  tls: { insecureSkipVerify: false, serverName: null },
  rebalance: null,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
};

describe('balancer form', () => {
  it('edits every setting of the API under its own path', () => {
    const paths = BALANCER_FIELDS.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toEqual(expect.arrayContaining(['lbMethod', 'sticky.name', 'hash.name', 'slowStartMs', 'hostHeader.value', 'timeouts.responseHeaderMs', 'limits.queueTimeoutMs', 'failover.retries', 'healthCheck.timeoutMs', 'passiveHealth.retryMs', 'tls.insecureSkipVerify', 'tls.serverName']));
  });

  it('starts a new balancer from the API defaults and posts every group', () => {
    const values = { ...newBalancerValues(), name: 'api' };
    expect(values['timeouts.connectMs']).toBe('3000');
    expect(values['healthCheck.type']).toBe('none');
    const body = balancerBody(values);
    expect(body).toMatchObject({ name: 'api', lbMethod: 'byrequests', sticky: { mode: 'none', name: null }, timeouts: { connectMs: 3000, responseHeaderMs: 60000 }, tls: { insecureSkipVerify: false, serverName: null } });
    expect(Object.keys(body)).toHaveLength(12);
  });

  it('patches only the changed groups, the health check whole so the API checks timeout against interval', () => {
    const initial = balancerValues(balancer);
    expect(balancerBody(initial, initial)).toEqual({});
    const values = { ...initial, 'healthCheck.timeoutMs': '9000' };
    expect(balancerBody(values, initial)).toEqual({ healthCheck: { type: 'http', path: '/health', expectStatus: 200, intervalMs: 5000, timeoutMs: 9000, passes: 2, fails: 3 } });
    expect(balancerBody({ ...initial, 'tls.insecureSkipVerify': true, lbMethod: 'hash', 'hash.source': 'header', 'hash.name': 'X-User' }, initial)).toEqual({
      lbMethod: 'hash',
      hash: { source: 'header', name: 'X-User' },
      tls: { insecureSkipVerify: true, serverName: null },
    });
  });

  it('keeps what the user typed, wrong or not, for the API to name', () => {
    const initial = balancerValues(balancer);
    expect(balancerBody({ ...initial, 'timeouts.connectMs': 'fast', 'limits.queueTimeoutMs': '' }, initial)).toEqual({
      timeouts: { connectMs: 'fast', tunnelIdleMs: 3600000, keepAliveMs: 15000, responseHeaderMs: 60000 },
      limits: { maxTunnelsPerMember: 0, queueTimeoutMs: null },
    });
  });

  it('shows the fields that mean something with the other values', () => {
    const values = balancerValues(balancer);
    expect(balancerFieldShown('sticky.name', values)).toBe(true);
    expect(balancerFieldShown('sticky.name', { ...values, 'sticky.mode': 'none' })).toBe(false);
    expect(balancerFieldShown('hash.source', values)).toBe(false);
    expect(balancerFieldShown('hash.name', { ...values, lbMethod: 'hash', 'hash.source': 'ip' })).toBe(false);
    expect(balancerFieldShown('hash.name', { ...values, lbMethod: 'hash', 'hash.source': 'cookie' })).toBe(true);
    expect(balancerFieldShown('hostHeader.value', values)).toBe(false);
    expect(balancerFieldShown('hostHeader.value', { ...values, 'hostHeader.mode': 'set' })).toBe(true);
    expect(balancerFieldShown('healthCheck.expectStatus', values)).toBe(true);
    expect(balancerFieldShown('healthCheck.expectStatus', { ...values, 'healthCheck.type': 'websocket' })).toBe(false);
    expect(balancerFieldShown('healthCheck.path', { ...values, 'healthCheck.type': 'tcp' })).toBe(false);
    expect(balancerFieldShown('healthCheck.intervalMs', { ...values, 'healthCheck.type': 'tcp' })).toBe(true);
    expect(balancerFieldShown('healthCheck.timeoutMs', { ...values, 'healthCheck.type': 'none' })).toBe(false);
    expect(balancerFieldShown('passiveHealth.fails', { ...values, 'healthCheck.type': 'none' })).toBe(true);
  });
});
