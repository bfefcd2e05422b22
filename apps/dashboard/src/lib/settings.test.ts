import { describe, expect, it } from 'vitest';
import { healthCheckText, passiveHealthText, rebalanceBody, rebalanceText, tlsText } from './settings';
import type { HealthCheck } from '@switchboard/api-client';

const check = (over: Partial<HealthCheck>): HealthCheck => ({ type: 'none', path: '/', expectStatus: 200, intervalMs: 5000, timeoutMs: 2000, passes: 2, fails: 3, ...over });

describe('healthCheckText', () => {
  it('describes each kind of check with its timing and thresholds', () => {
    expect(healthCheckText(check({}))).toBe('none (passive only)');
    expect(healthCheckText(check({ type: 'http', path: '/health', expectStatus: 204 }))).toBe('http GET /health → 204 · every 5 s, timeout 2 s · up after 2, down after 3');
    expect(healthCheckText(check({ type: 'websocket', path: '/ws', intervalMs: 1000, timeoutMs: 500 }))).toBe('websocket upgrade on /ws · every 1 s, timeout 500 ms · up after 2, down after 3');
    expect(healthCheckText(check({ type: 'tcp', passes: 1, fails: 1 }))).toBe('tcp connect · every 5 s, timeout 2 s · up after 1, down after 1');
  });
});

describe('passiveHealthText', () => {
  it('names the failures and the retry', () => {
    expect(passiveHealthText({ fails: 1, retryMs: 10_000 })).toBe('down after 1 failed connect, retried after 10 s');
    expect(passiveHealthText({ fails: 3, retryMs: 0 })).toBe('down after 3 failed connects in a row, retried at once');
  });
});

describe('tlsText', () => {
  it('says loudly when verification is off', () => {
    expect(tlsText({ insecureSkipVerify: true, serverName: 'x.example' })).toBe('insecure: certificate verification off');
    expect(tlsText({ insecureSkipVerify: false, serverName: null })).toBe('certificates verified');
    expect(tlsText({ insecureSkipVerify: false, serverName: 'internal.example' })).toBe('certificates verified as internal.example');
  });
});

describe('rebalance', () => {
  it('sends the tolerance as a fraction and leaves empty fields to the API defaults', () => {
    expect(rebalanceBody('25', '5')).toEqual({ tolerance: 0.25, closesPerSecond: 5 });
    expect(rebalanceBody('', '')).toEqual({});
    expect(rebalanceBody('lots', '2.5')).toEqual({ tolerance: 'lots', closesPerSecond: 2.5 });
  });

  it('shows the last rebalance asked for', () => {
    const at = new Date(2030, 0, 2, 9, 30, 0).getTime();
    expect(rebalanceText({ requestedAt: at, tolerance: 0.1, closesPerSecond: 10 }, at)).toBe('09:30:00 (tolerance 10 %, 10 closes/s per agent)');
    expect(rebalanceText({ requestedAt: at, tolerance: 0.125, closesPerSecond: 1 }, at)).toBe('09:30:00 (tolerance 12.5 %, 1 closes/s per agent)');
    expect(rebalanceText(null)).toBe('never');
  });
});
