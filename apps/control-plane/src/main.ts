import 'reflect-metadata';
import { join, resolve } from 'node:path';
import { createApp } from './app';
import { loadEnv } from './config/env';
import { startEmbeddedPostgres } from './database/embedded-postgres';
import { applyMigrations } from './database/migrate';
import { stopOnSignals } from './shutdown';

/**
 * Starts the control plane: validates the environment, uses DATABASE_URL or starts the embedded
 * Postgres under SWITCHBOARD_DATA_DIR, applies pending migrations, then serves on
 * SWITCHBOARD_CONTROL_PORT (HTTPS with SWITCHBOARD_TLS_*). Prints one JSON line
 * `{"msg":"listening","port":N,"tls":bool}` when ready.
 * SIGINT/SIGTERM close live streams, agents' channels, the HTTP server and the embedded Postgres
 * within SWITCHBOARD_SHUTDOWN_GRACE_MS (see shutdown.ts).
 */
async function main(): Promise<void> {
  const env = loadEnv();
  const embedded = env.DATABASE_URL
    ? null
    : await startEmbeddedPostgres({ dataDir: resolve(env.SWITCHBOARD_DATA_DIR), port: env.SWITCHBOARD_EMBEDDED_PG_PORT, log: (line) => process.stderr.write(`[postgres] ${line}\n`) });
  const databaseUrl = env.DATABASE_URL ?? (embedded as { url: string }).url;
  const applied = await applyMigrations(databaseUrl);
  const app = await createApp(env, databaseUrl);
  await app.listen(env.SWITCHBOARD_CONTROL_PORT, env.SWITCHBOARD_CONTROL_HOST);
  const address = app.getHttpServer().address() as { port: number };
  // One shutdown path (not Nest's shutdown hooks, which re-raise the signal before the embedded
  // Postgres has stopped): live streams and agents' channels, HTTP, then Postgres, then exit 0.
  // Installed before the listening line, so a supervisor that signals on that line never finds the default action.
  stopOnSignals(app, embedded, env.SWITCHBOARD_SHUTDOWN_GRACE_MS);
  process.stdout.write(`${JSON.stringify({ msg: 'listening', port: address.port, tls: env.SWITCHBOARD_TLS_CERT_FILE !== undefined, migrationsApplied: applied, embeddedPostgres: embedded !== null, dataDir: embedded ? join(resolve(env.SWITCHBOARD_DATA_DIR), 'postgres') : undefined })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`control plane failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
