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

  it('bounds the database timeouts, with the defaults the README gives', () => {
    expect(loadEnv({})).toMatchObject({
      SWITCHBOARD_DB_CONNECT_TIMEOUT_MS: 5000,
      SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS: 10_000,
      SWITCHBOARD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 15_000,
      SWITCHBOARD_DB_TRANSACTION_TIMEOUT_MS: 15_000,
    });
    expect(() => loadEnv({ SWITCHBOARD_DB_CONNECT_TIMEOUT_MS: '0', SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(/SWITCHBOARD_DB_CONNECT_TIMEOUT_MS[\s\S]*SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
