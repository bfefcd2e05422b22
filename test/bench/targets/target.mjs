// @ts-check
/**
 * What every target module (direct, agent, haproxy, nginx) is given and returns.
 *
 * @typedef {object} BackendInfo
 * @property {string} name                    member name (m1, m2)
 * @property {Record<string, number>} ports   the member's port for each target
 * @property {number} pid
 *
 * @typedef {object} TargetContext
 * @property {string} dir                     the run's temporary directory (configs, pid files, logs, caches)
 * @property {BackendInfo[]} backends
 * @property {import('../lib/options.mjs').BenchOptions} options
 * @property {number} maxConnections          client connections the target must hold (idle tunnels + margin)
 * @property {number} nofile                  open-files limit of every child
 *
 * @typedef {object} RunningTarget
 * @property {string} name
 * @property {import('../lib/processes.mjs').Child} [child]  the process the bench started (none for direct)
 * @property {number} [port]                  client-facing port of a proxy
 * @property {import('../load/ws-clients.mjs').Endpoint} endpoint
 * @property {number[]} pids                  roots of the process trees whose RSS and CPU are measured
 * @property {string} describe                one line for the report
 * @property {() => Promise<Record<string, { elected: number, openTunnels: number }>>} [memberCounters]  the proxy's own per-member counters, when it has them
 * @property {() => Promise<number>} [heapUsed]  V8 heap in use now, in bytes (agent)
 * @property {string} [profileDir]            where --cpu-prof writes (agent with BENCH_CPU_PROF=1)
 *
 * @typedef {{ name: string, skipped: string }} SkippedTarget
 * @typedef {RunningTarget | SkippedTarget} Target
 */
export {};
