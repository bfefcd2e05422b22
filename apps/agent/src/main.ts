import cluster from 'node:cluster';
import { Agent } from './agent';
import { runWorker } from './cluster/worker-main';
import { createLogger } from './logger';
import { loadSettings, SettingsError } from './settings';

/**
 * `switchboard-agent` / `npm run agent`: reads the environment (refusing to start, exit code 1,
 * with a JSON log line naming each bad variable), starts the agent, and on SIGINT/SIGTERM
 * shuts it down (at most the shutdown grace, 2 s, for open traffic) and exits 0. SIGHUP reloads
 * the TLS listener's certificate and key (as NGINX's reload picks up renewed certificates).
 * A cluster worker (SWITCHBOARD_WORKERS > 1) runs runWorker instead and leaves signals to its primary.
 */
async function main(): Promise<void> {
  let settings;
  try {
    settings = loadSettings(process.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    createLogger('info').fatal(error.message);
    process.exit(1);
  }
  const logger = createLogger(settings.logLevel);
  if (cluster.isWorker) {
    // Ctrl-C reaches the whole process group: the primary decides when its workers stop.
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', () => undefined);
    process.on('SIGHUP', () => undefined);
    await runWorker(settings, logger.child({ worker: Number(process.env['SWITCHBOARD_WORKER_ID']) }));
    return;
  }
  const agent = new Agent(settings, { logger });
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    agent.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.on('SIGHUP', () => agent.reloadTlsCredentials());
  try {
    await agent.start();
  } catch (error) {
    logger.fatal({ err: error }, 'agent failed to start');
    process.exit(1);
  }
}

void main();
