import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Agent } from '../agent';
import type { AgentOptions } from '../agent';
import { loadSettings } from '../settings';

/** An agent running in-process on ephemeral ports of 127.0.0.1. */
export interface RunningAgent {
  readonly agent: Agent;
  readonly port: number;
  readonly adminPort: number;
  /** The TLS listener's port (null unless SWITCHBOARD_TLS_PORT is in `env`). */
  readonly tlsPort: number | null;
  readonly cacheDir: string;
  /** `http://127.0.0.1:<port>` + path. */
  http(path?: string): string;
  /** `ws://127.0.0.1:<port>` + path. */
  ws(path?: string): string;
  /** `https://127.0.0.1:<tlsPort>` + path (and `wss://` with `ws: true`). */
  https(path?: string, ws?: boolean): string;
  /** `http://127.0.0.1:<adminPort>` + path. */
  admin(path: string): string;
  stop(): Promise<void>;
}

/** A fresh temporary cache directory. */
export function tempCacheDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'agent-test-'));
}

/**
 * Starts an Agent through the production settings loader, with fast timers for tests. Logs go
 * to `options.logger`, else nowhere unless AGENT_TEST_LOG names a level.
 */
export async function startAgent(controlUrl: string, options: { cacheDir?: string; token?: string; env?: Record<string, string> } & Partial<AgentOptions> = {}): Promise<RunningAgent> {
  const cacheDir = options.cacheDir ?? (await tempCacheDir());
  const settings = loadSettings({
    SWITCHBOARD_CONTROL_URL: controlUrl,
    SWITCHBOARD_AGENT_TOKEN: options.token ?? 'agent-token',
    SWITCHBOARD_AGENT_NAME: 'test-agent',
    SWITCHBOARD_LISTEN: '127.0.0.1:0',
    SWITCHBOARD_ADMIN_LISTEN: '127.0.0.1:0',
    SWITCHBOARD_CACHE_DIR: cacheDir,
    SWITCHBOARD_STATS_INTERVAL_MS: '100',
    ...options.env,
  });
  const agent = new Agent(settings, {
    logger: options.logger ?? pino({ level: process.env['AGENT_TEST_LOG'] ?? 'silent' }),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
    backoff: options.backoff ?? { baseMs: 20, capMs: 200 },
    refusedRetryMs: options.refusedRetryMs ?? 100,
    shutdownGraceMs: options.shutdownGraceMs ?? 200,
  });
  const { port, adminPort, tlsPort } = await agent.start();
  return {
    agent,
    port,
    adminPort,
    tlsPort,
    cacheDir,
    http: (path = '/') => `http://127.0.0.1:${port}${path}`,
    ws: (path = '/') => `ws://127.0.0.1:${port}${path}`,
    https: (path = '/', ws = false) => `${ws ? 'wss' : 'https'}://127.0.0.1:${tlsPort ?? 'none'}${path}`,
    admin: (path) => `http://127.0.0.1:${adminPort}${path}`,
    stop: () => agent.stop(),
  };
}
