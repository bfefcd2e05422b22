// @ts-check
/**
 * The bench's options, from BENCH_* environment variables (see test/bench/README.md). `BENCH_QUICK=1`
 * changes the defaults to a ~30 s smoke run; every explicit variable still wins.
 */

export const TARGETS = /** @type {const} */ (['direct', 'agent', 'haproxy', 'nginx']);

/** @typedef {(typeof TARGETS)[number]} TargetName */

export const PHASES = /** @type {const} */ (['idle', 'connect', 'ws', 'http']);

/** @typedef {(typeof PHASES)[number]} PhaseName */

/**
 * @typedef {object} BenchOptions
 * @property {boolean} quick              BENCH_QUICK=1
 * @property {TargetName[]} targets        BENCH_TARGETS (comma list, default all four)
 * @property {PhaseName[]} phases          BENCH_PHASES (comma list of idle, connect, ws, http; default all)
 * @property {number} warmupMs            BENCH_WARMUP_MS: traffic before each measurement window (default 2000, quick 300)
 * @property {number} durationMs          BENCH_DURATION_MS: each measurement window (default 5000, quick 1000)
 * @property {number[]} wsConnections     BENCH_WS_CONNECTIONS: round-trip runs (default 100,1000)
 * @property {number} inflight            BENCH_INFLIGHT: messages each connection keeps in flight (default 2)
 * @property {number} messageBytes        BENCH_MESSAGE_BYTES: binary message size (default 64, at least 8)
 * @property {number} connectConcurrency  BENCH_CONNECT_CONCURRENCY: upgrades in progress at once (default 50)
 * @property {number} idleTunnels         BENCH_IDLE_TUNNELS: idle WebSockets for the memory figure (default 10000, quick 1000; capped by the fd limit)
 * @property {number} settleMs            BENCH_SETTLE_MS: wait after opening the idle WebSockets before reading RSS (default 2000, quick 500)
 * @property {number} httpConnections     BENCH_HTTP_CONNECTIONS: keep-alive connections, one request in flight each (default 50)
 * @property {number} generators          BENCH_GENERATORS: load-generator processes (default 2)
 * @property {string | undefined} agentWorkers BENCH_AGENT_WORKERS (or SWITCHBOARD_WORKERS): passed to the agent as SWITCHBOARD_WORKERS (default unset: one process)
 * @property {number} proxyWorkers        BENCH_PROXY_WORKERS: HAProxy nbthread and NGINX worker_processes (default 1)
 * @property {boolean} cpuProfile         BENCH_CPU_PROF=1: run the agent with --cpu-prof and print its top frames
 * @property {string} resultsDir          BENCH_RESULTS_DIR (default test/bench/results)
 * @property {boolean} keepTemp           BENCH_KEEP_TEMP=1: keep the run's temporary directory (configs, NGINX error log, agent cache)
 */

/**
 * Reads the options. Throws with the variable's name when a value is not a positive integer or
 * names an unknown target.
 * @param {NodeJS.ProcessEnv} env
 * @param {string} defaultResultsDir
 * @returns {BenchOptions}
 */
export function readOptions(env, defaultResultsDir) {
  const quick = env.BENCH_QUICK === '1';
  const int = (/** @type {string} */ name, /** @type {number} */ fallback, min = 1) => {
    const text = env[name];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${text}`);
    return value;
  };
  const list = (/** @type {string} */ name, /** @type {string} */ fallback) => (env[name] || fallback).split(',').map((s) => s.trim()).filter(Boolean);
  const targets = list('BENCH_TARGETS', TARGETS.join(','));
  for (const t of targets) if (!TARGETS.includes(/** @type {TargetName} */ (t))) throw new Error(`BENCH_TARGETS: unknown target ${t} (known: ${TARGETS.join(', ')})`);
  const phases = list('BENCH_PHASES', PHASES.join(','));
  for (const p of phases) if (!PHASES.includes(/** @type {PhaseName} */ (p))) throw new Error(`BENCH_PHASES: unknown phase ${p} (known: ${PHASES.join(', ')})`);
  const wsConnections = list('BENCH_WS_CONNECTIONS', '100,1000').map(Number);
  if (wsConnections.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_WS_CONNECTIONS must be a comma list of positive integers`);
  return {
    quick,
    targets: /** @type {TargetName[]} */ (targets),
    phases: /** @type {PhaseName[]} */ (phases),
    warmupMs: int('BENCH_WARMUP_MS', quick ? 300 : 2000, 0),
    durationMs: int('BENCH_DURATION_MS', quick ? 1000 : 5000),
    wsConnections,
    inflight: int('BENCH_INFLIGHT', 2),
    messageBytes: int('BENCH_MESSAGE_BYTES', 64, 8),
    connectConcurrency: int('BENCH_CONNECT_CONCURRENCY', 50),
    idleTunnels: int('BENCH_IDLE_TUNNELS', quick ? 1000 : 10_000),
    settleMs: int('BENCH_SETTLE_MS', quick ? 500 : 2000, 0),
    httpConnections: int('BENCH_HTTP_CONNECTIONS', 50),
    generators: int('BENCH_GENERATORS', 2),
    agentWorkers: env.BENCH_AGENT_WORKERS || env.SWITCHBOARD_WORKERS || undefined,
    proxyWorkers: int('BENCH_PROXY_WORKERS', 1),
    cpuProfile: env.BENCH_CPU_PROF === '1',
    resultsDir: env.BENCH_RESULTS_DIR || defaultResultsDir,
    keepTemp: env.BENCH_KEEP_TEMP === '1',
  };
}
