import { Logger, type INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';

/** What the shutdown stops after the application: the embedded Postgres, when there is one. */
export interface Stoppable {
  stop(): Promise<void>;
}

/**
 * On SIGTERM or SIGINT, stops the control plane within `graceMs` (SWITCHBOARD_SHUTDOWN_GRACE_MS):
 * `app.close()` ends the live streams (StatsController) and closes the agents' channels with 1001
 * (AgentsGateway), so that the HTTP server, which waits for its open connections, can stop; then
 * `database` (the embedded Postgres) stops and the process exits 0. When the grace passes first,
 * the remaining HTTP connections are cut and the process exits 1 at once (the embedded Postgres
 * still gets its fast-shutdown signal from its exit hook) — rather than being SIGKILLed by a
 * supervisor, as Kubernetes does after `terminationGracePeriodSeconds`.
 */
export function stopOnSignals(app: INestApplication, database: Stoppable | null, graceMs: number): void {
  const logger = new Logger('Shutdown');
  const stop = async (signal: string) => {
    logger.log(`${signal}: closing live streams, agent channels and the HTTP server (grace ${graceMs} ms)`);
    const started = Date.now();
    const hardExit = setTimeout(() => {
      logger.error(`shutdown still running after SWITCHBOARD_SHUTDOWN_GRACE_MS=${graceMs}; cutting connections and exiting`);
      (app.getHttpServer() as Server).closeAllConnections();
      process.exit(1);
    }, graceMs);
    hardExit.unref();
    await app.close();
    await database?.stop();
    logger.log(`stopped in ${Date.now() - started} ms`);
    process.exit(0);
  };
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stop(signal).catch((error: unknown) => {
      logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, onSignal);
}
