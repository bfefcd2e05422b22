import { z } from 'zod';
import { certificateProblem, keyProblem, readPemFile, type PemFile } from './tls-files';

/** A PEM file setting, read at boot (the process serves what it read, whatever happens to the file later). */
const pemFile = z.string().transform((path, ctx): PemFile => {
  const read = readPemFile(path);
  if (typeof read !== 'string') return read;
  ctx.addIssue({ code: 'custom', message: read });
  return z.NEVER;
});

/**
 * SWITCHBOARD_TLS_CERT_FILE and _KEY_FILE come together, as a certificate and its own key. Runs
 * even when other variables are bad; a file that could not be read (still its path) is reported
 * by its own check only.
 */
function tlsPair(env: { SWITCHBOARD_TLS_CERT_FILE?: PemFile | string; SWITCHBOARD_TLS_KEY_FILE?: PemFile | string }, ctx: z.RefinementCtx): void {
  const { SWITCHBOARD_TLS_CERT_FILE: cert, SWITCHBOARD_TLS_KEY_FILE: key } = env;
  if (cert && !key) return ctx.addIssue({ code: 'custom', path: ['SWITCHBOARD_TLS_KEY_FILE'], message: 'is required when SWITCHBOARD_TLS_CERT_FILE is set' });
  if (key && !cert) return ctx.addIssue({ code: 'custom', path: ['SWITCHBOARD_TLS_CERT_FILE'], message: 'is required when SWITCHBOARD_TLS_KEY_FILE is set' });
  if (typeof cert !== 'object' || typeof key !== 'object') return;
  const certWhy = certificateProblem(cert);
  if (certWhy) return ctx.addIssue({ code: 'custom', path: ['SWITCHBOARD_TLS_CERT_FILE'], message: certWhy });
  const keyWhy = keyProblem(key, cert);
  if (keyWhy) ctx.addIssue({ code: 'custom', path: ['SWITCHBOARD_TLS_KEY_FILE'], message: keyWhy });
}

/**
 * The control plane's settings, read once at boot from the environment. A bad value stops the
 * process with a message naming the variable (see ../../README.md, "Configuration").
 */
export const envSchema = z.object({
  /** Postgres connection string; unset → an embedded Postgres under SWITCHBOARD_DATA_DIR. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
  SWITCHBOARD_DATA_DIR: z.string().min(1).default('./.switchboard'),
  /** Port of the embedded Postgres (chosen not to collide with a system Postgres on 5432). */
  SWITCHBOARD_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  SWITCHBOARD_CONTROL_HOST: z.string().default('0.0.0.0'),
  /** Port of the REST API, the agent channel, /metrics and health endpoints; 0 picks a free one. */
  SWITCHBOARD_CONTROL_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Bootstrap admin token (at least 16 characters); unset on first start → one is generated and printed once. */
  SWITCHBOARD_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** An agent not heard from for this long is shown offline (ms). */
  SWITCHBOARD_AGENT_OFFLINE_MS: z.coerce.number().int().min(1000).default(5000),
  /** `stats` messages accepted per second on each agent channel (token bucket, burst 5); the excess is dropped and counted. */
  SWITCHBOARD_AGENT_STATS_RATE: z.coerce.number().positive().max(100).default(1),
  /** After SIGTERM/SIGINT, the time given to close live streams, agent channels, HTTP and the embedded Postgres before a forced exit (ms). */
  SWITCHBOARD_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** Opening a Postgres connection or waiting for a pooled one, and Prisma's transaction maxWait (ms); see database/database-config.ts. */
  SWITCHBOARD_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Postgres statement_timeout of every session (ms); 0 = not sent (e.g. behind a PgBouncer that refuses it). */
  SWITCHBOARD_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** Postgres idle_in_transaction_session_timeout (ms); 0 = not sent. */
  SWITCHBOARD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  /** Prisma interactive-transaction timeout (ms). */
  SWITCHBOARD_DB_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** 1: every JSON answer is checked against its operation's response schema, a mismatch logged and answered 500 (set by the whole-stack tests; costs a JSON round trip per answer). */
  SWITCHBOARD_CHECK_RESPONSES: z.enum(['0', '1'], 'must be 0 or 1').default('0').transform((flag) => flag === '1'),
  /** PEM certificate chain (leaf first): with the key below, the port serves HTTPS and WSS only. Unset → plain HTTP (or TLS terminated in front). */
  SWITCHBOARD_TLS_CERT_FILE: pemFile.optional(),
  /** Its PEM private key, unencrypted; required with SWITCHBOARD_TLS_CERT_FILE and only with it. */
  SWITCHBOARD_TLS_KEY_FILE: pemFile.optional(),
});
export type Env = z.infer<typeof envSchema>;

/** The schema with the checks across variables (they run even when another variable is bad). */
const checkedEnv = envSchema.superRefine(tlsPair, { when: () => true });

/** Parses the environment; throws an Error listing every bad variable and why. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = checkedEnv.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`invalid environment:\n${lines.join('\n')}`);
}
