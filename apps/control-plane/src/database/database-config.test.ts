import { describe, expect, it } from 'vitest';
import { loadEnv } from '../config/env';
import { databaseConfig, pgOptions } from './database-config';

describe('pgOptions', () => {
  it('applies the timeouts of the environment, with a client-side query timeout 1 s beyond the server one', () => {
    const options = pgOptions(databaseConfig(loadEnv({}), 'postgresql://db/x'));
    expect(options).toMatchObject({
      connectionString: 'postgresql://db/x',
      connectionTimeoutMillis: 5000,
      statement_timeout: 10_000,
      query_timeout: 11_000,
      idle_in_transaction_session_timeout: 15_000,
      keepAlive: true,
    });
  });

  it('sends no statement or idle-in-transaction timeout when they are 0 (PgBouncer refuses such startup parameters)', () => {
    const env = loadEnv({ SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS: '0', SWITCHBOARD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '0' });
    const options = pgOptions(databaseConfig(env, 'postgresql://db/x'));
    expect(options).not.toHaveProperty('statement_timeout');
    expect(options).not.toHaveProperty('query_timeout');
    expect(options).not.toHaveProperty('idle_in_transaction_session_timeout');
    expect(options.connectionTimeoutMillis).toBe(5000);
  });
});
