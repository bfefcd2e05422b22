import type { PoolConfig } from 'pg';
import type { Env } from '../config/env';

/** Injection token of the DatabaseConfig resolved at boot (embedded Postgres or DATABASE_URL). */
export const DATABASE_CONFIG = Symbol('DATABASE_CONFIG');

/**
 * Where Postgres is and how long the control plane waits for it, in milliseconds. With these
 * bounds a stopped, unreachable or stuck database turns each API call into a 503 within about
 * `connectTimeoutMs` (at once when the connection is refused), never a hang (issue 7 item 9).
 */
export interface DatabaseConfig {
  /** postgresql:// URL (contains the password of the embedded Postgres: never log it). */
  url: string;
  /** Opening a connection, or waiting for a free one in the pool (pg `connectionTimeoutMillis`); also Prisma's interactive-transaction `maxWait`. */
  connectTimeoutMs: number;
  /** Postgres `statement_timeout` of every session; the client gives up 1 s later (pg `query_timeout`) should the server not answer at all. 0 = neither is set (both are startup parameters, which PgBouncer refuses unless told to ignore them). */
  statementTimeoutMs: number;
  /** Postgres `idle_in_transaction_session_timeout`: a session idle inside a transaction this long is ended by the server, freeing its locks. 0 = not set. */
  idleInTransactionTimeoutMs: number;
  /** Prisma's interactive-transaction `timeout`: a transaction still open after this long is rolled back. */
  transactionTimeoutMs: number;
}

/** Margin between the server's statement_timeout and the client's own query timeout (ms). */
const CLIENT_QUERY_MARGIN_MS = 1_000;

/** The database settings of `env` for the database at `url`. */
export function databaseConfig(env: Env, url: string): DatabaseConfig {
  return {
    url,
    connectTimeoutMs: env.SWITCHBOARD_DB_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: env.SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: env.SWITCHBOARD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    transactionTimeoutMs: env.SWITCHBOARD_DB_TRANSACTION_TIMEOUT_MS,
  };
}

/** node-postgres options (for a Pool or a single Client) applying `config`'s timeouts, with TCP keep-alive so a vanished server is noticed. */
export function pgOptions(config: DatabaseConfig): PoolConfig {
  return {
    connectionString: config.url,
    connectionTimeoutMillis: config.connectTimeoutMs,
    ...(config.statementTimeoutMs > 0 ? { statement_timeout: config.statementTimeoutMs, query_timeout: config.statementTimeoutMs + CLIENT_QUERY_MARGIN_MS } : {}),
    ...(config.idleInTransactionTimeoutMs > 0 ? { idle_in_transaction_session_timeout: config.idleInTransactionTimeoutMs } : {}),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}
