import { describe, expect, it } from 'vitest';
import { loadEnv } from './env';

describe('loadEnv', () => {
  it('applies documented defaults', () => {
    const env = loadEnv({});
    expect(env.SWITCHBOARD_CONTROL_PORT).toBe(4000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SWITCHBOARD_DATA_DIR).toBe('./.switchboard');
  });

  it('names every bad variable and the cause', () => {
    expect(() => loadEnv({ DATABASE_URL: 'mysql://x', SWITCHBOARD_CONTROL_PORT: '99999', SWITCHBOARD_ADMIN_TOKEN: 'short' })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/[\s\S]*SWITCHBOARD_CONTROL_PORT[\s\S]*SWITCHBOARD_ADMIN_TOKEN: must be at least 16/,
    );
  });

  it('validates the shutdown grace and the agent stats rate', () => {
    expect(loadEnv({}).SWITCHBOARD_SHUTDOWN_GRACE_MS).toBe(10_000);
    expect(loadEnv({}).SWITCHBOARD_AGENT_STATS_RATE).toBe(1);
    expect(loadEnv({ SWITCHBOARD_SHUTDOWN_GRACE_MS: '2500', SWITCHBOARD_AGENT_STATS_RATE: '0.5' })).toMatchObject({ SWITCHBOARD_SHUTDOWN_GRACE_MS: 2500, SWITCHBOARD_AGENT_STATS_RATE: 0.5 });
    expect(() => loadEnv({ SWITCHBOARD_SHUTDOWN_GRACE_MS: 'soon', SWITCHBOARD_AGENT_STATS_RATE: '0' })).toThrow(/SWITCHBOARD_AGENT_STATS_RATE: [^\n]*>0[\s\S]*SWITCHBOARD_SHUTDOWN_GRACE_MS: [^\n]*expected number/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
