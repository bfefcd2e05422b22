// @ts-check
import { setTimeout as sleep } from 'node:timers/promises';
import { onEvery } from './fleet.mjs';
import { Histogram } from './histogram.mjs';
import { usageOf, waitFor } from './processes.mjs';

/**
 * The measurements, each run against one target with every generator at once. Each returns
 * plain JSON (it goes to results/latest.json); rates are per second, latencies in ms, CPU in ms
 * of CPU time used inside the measurement window by each group of processes.
 *
 * @typedef {object} Bench
 * @property {import('./fleet.mjs').NodeChild[]} generators
 * @property {(import('./fleet.mjs').NodeChild & import('../targets/target.mjs').BackendInfo)[]} backends
 * @property {import('./options.mjs').BenchOptions} options
 *
 * @typedef {{ proxyMs: number | null, backendsMs: number, generatorsMs: number, windowMs: number }} CpuUse
 */

/**
 * CPU used by the proxy, the backends and the generators from `warmupMs` to
 * `warmupMs + durationMs` from now (direct has no proxy: null).
 * @param {Bench} bench
 * @param {import('../targets/target.mjs').RunningTarget} target
 * @returns {Promise<CpuUse>}
 */
async function cpuWindow(bench, target, { warmupMs = bench.options.warmupMs, durationMs = bench.options.durationMs } = {}) {
  const groups = [target.name === 'direct' ? [] : target.pids, bench.backends.map((b) => b.pid), bench.generators.map((g) => g.child.pid)];
  await sleep(warmupMs);
  const before = groups.map((pids) => usageOf(pids).cpuMs);
  const started = Date.now();
  await sleep(durationMs);
  const after = groups.map((pids) => usageOf(pids).cpuMs);
  const used = after.map((ms, i) => ms - before[i]);
  return { proxyMs: target.name === 'direct' ? null : used[0], backendsMs: used[1], generatorsMs: used[2], windowMs: Date.now() - started };
}

/** @param {Histogram} histogram */
const latencies = (histogram) => ({ p50Ms: ms(histogram.quantile(0.5)), p99Ms: ms(histogram.quantile(0.99)) });
/** @param {number | null} micros */
const ms = (micros) => (micros === null ? null : Math.round(micros) / 1000);
/** @param {{ histogram: number[] }[]} parts */
const merged = (parts) => parts.reduce((h, part) => h.merge(new Histogram(part.histogram)), new Histogram());
/** @param {{ [key: string]: any }[]} parts @param {string} key */
const sum = (parts, key) => parts.reduce((total, part) => total + (part[key] ?? 0), 0);

/**
 * Echo round trips on `connections` WebSockets opened beforehand (see load/round-trips.mjs).
 * @param {Bench} bench
 * @param {import('../targets/target.mjs').RunningTarget} target
 * @param {number} connections
 */
export async function roundTrips(bench, target, connections) {
  const { generators, options } = bench;
  const opened = await onEvery(generators, 'open', connections, (count, offset) => ({ endpoint: target.endpoint, count, offset }));
  try {
    const run = { inflight: options.inflight, messageBytes: options.messageBytes, warmupMs: options.warmupMs, durationMs: options.durationMs };
    const [parts, cpu] = await Promise.all([onEvery(generators, 'roundTrips', connections, () => run), cpuWindow(bench, target)]);
    return {
      connections, inflight: options.inflight, messageBytes: options.messageBytes,
      opened: sum(opened, 'opened'), openErrors: sum(opened, 'errors'),
      messagesPerSec: Math.round((sum(parts, 'messages') * 1000) / options.durationMs),
      ...latencies(merged(parts)),
      mismatches: sum(parts, 'mismatches'), lost: sum(parts, 'lost'), closedDuringRun: sum(parts, 'closed'),
      cpu,
    };
  } finally {
    await onEvery(generators, 'closeAll', 0, () => undefined);
  }
}

/**
 * Upgrades per second with `connectConcurrency` handshakes in progress (see load/connect-rate.mjs).
 * @param {Bench} bench
 * @param {import('../targets/target.mjs').RunningTarget} target
 */
export async function connectRate(bench, target) {
  const { generators, options } = bench;
  const concurrency = options.connectConcurrency;
  const run = (/** @type {number} */ share, /** @type {number} */ offset) => ({ endpoint: target.endpoint, concurrency: share, warmupMs: options.warmupMs, durationMs: options.durationMs, offset });
  const [parts, cpu] = await Promise.all([onEvery(generators, 'connectRate', concurrency, run), cpuWindow(bench, target)]);
  return {
    concurrency,
    upgradesPerSec: Math.round((sum(parts, 'upgrades') * 1000) / options.durationMs),
    ...latencies(merged(parts)),
    errors: sum(parts, 'errors'), firstError: parts.find((p) => p.firstError)?.firstError,
    cpu,
  };
}

/**
 * RSS of the target's processes before and after opening `tunnels` idle WebSockets (and
 * `settleMs` of waiting), divided by the tunnels opened; the same for the V8 heap in use when
 * the target reports it (agent; garbage not yet collected included). Then cuts them and waits until the
 * members saw every one close.
 * @param {Bench} bench
 * @param {import('../targets/target.mjs').RunningTarget} target
 * @param {number} tunnels
 */
export async function idleMemory(bench, target, tunnels) {
  const { generators, options } = bench;
  const heapBefore = await target.heapUsed?.();
  const before = usageOf(target.pids);
  const opened = await onEvery(generators, 'open', tunnels, (count, offset) => ({ endpoint: target.endpoint, count, offset }));
  try {
    await sleep(options.settleMs);
    const after = usageOf(target.pids);
    const heapAfter = await target.heapUsed?.();
    const count = sum(opened, 'opened');
    return {
      tunnels, opened: count, errors: sum(opened, 'errors'), firstError: opened.find((p) => p.firstError)?.firstError,
      rssBeforeBytes: before.rssBytes, rssAfterBytes: after.rssBytes, processes: after.processes,
      bytesPerTunnel: count > 0 ? Math.round((after.rssBytes - before.rssBytes) / count) : null,
      heapBytesPerTunnel: count > 0 && heapBefore !== undefined && heapAfter !== undefined ? Math.round((heapAfter - heapBefore) / count) : null,
    };
  } finally {
    await onEvery(generators, 'closeAll', 0, () => undefined);
    await waitFor(async () => (await openOnMembers(bench, target.name)) === 0, `${target.name}: members to see the idle tunnels close`, 60_000);
  }
}

/**
 * Keep-alive HTTP requests per second on `httpConnections` sockets (see load/http-load.mjs).
 * @param {Bench} bench
 * @param {import('../targets/target.mjs').RunningTarget} target
 */
export async function httpRequests(bench, target) {
  const { generators, options } = bench;
  const connections = options.httpConnections;
  const run = (/** @type {number} */ share, /** @type {number} */ offset) => ({ endpoint: target.endpoint, connections: share, warmupMs: options.warmupMs, durationMs: options.durationMs, offset });
  const [parts, cpu] = await Promise.all([onEvery(generators, 'http', connections, run), cpuWindow(bench, target)]);
  /** @type {Record<string, number>} */
  const byMember = {};
  for (const part of parts) for (const [member, n] of Object.entries(part.byMember)) byMember[member] = (byMember[member] ?? 0) + n;
  return {
    connections,
    requestsPerSec: Math.round((sum(parts, 'requests') * 1000) / options.durationMs),
    ...latencies(merged(parts)),
    bad: sum(parts, 'bad'), byMember, reconnects: sum(parts, 'reconnects'), errors: sum(parts, 'errors'), firstError: parts.find((p) => p.firstError)?.firstError,
    cpu,
  };
}

/**
 * WebSockets open now on the members' ports for this target.
 * @param {Bench} bench
 * @param {string} targetName
 */
async function openOnMembers(bench, targetName) {
  const stats = await Promise.all(bench.backends.map((b) => b.rpc.call('stats')));
  return stats.reduce((total, s) => total + s[targetName].wsOpen, 0);
}
