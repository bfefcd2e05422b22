// @ts-check
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { URL } from 'node:url';
import { fetch } from 'undici';
import { freePort, startChild } from '../lib/processes.mjs';

const ROOT = new URL('../../../', import.meta.url).pathname;
const MAIN = join(ROOT, 'dist/agent/apps/agent/src/main.js');
const PROTOCOL = join(ROOT, 'dist/agent/libs/protocol/src/index.js');

/**
 * The Switchboard agent as its own process, built (`npx nx run agent:build`), serving a static
 * snapshot from its disk cache with no control plane (its control URL is a closed port, so it
 * keeps retrying with backoff, as at an outage): one balancer like the HAProxy and NGINX ones
 * (`bybusyness`, Apache's least busy = HAProxy's leastconn / NGINX's least_conn, two members,
 * tunnel idle 1 h, keep-alive pool 15 s, connect 3 s) and a catch-all route.
 * Environment passed on: SWITCHBOARD_WORKERS when `options.agentWorkers` is set; with
 * `options.cpuProfile`, node runs with --cpu-prof into `<dir>/cpu-profile`.
 * @param {import('./target.mjs').TargetContext} context
 * @returns {Promise<import('./target.mjs').Target>}
 */
export async function startAgent({ dir, backends, options }) {
  if (!existsSync(MAIN)) return { name: 'agent', skipped: 'not built: run `npx nx run agent:build` (npm run bench does)' };
  const cacheDir = join(dir, 'agent-cache');
  await mkdir(cacheDir, { recursive: true });
  await writeFile(join(cacheDir, 'snapshot.json'), JSON.stringify(benchSnapshot(backends.map((b) => b.ports.agent))));
  const [port, adminPort, closedPort] = [await freePort(), await freePort(), await freePort()];
  const profileDir = join(dir, 'cpu-profile');
  const nodeArgs = options.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = startChild('agent', process.execPath, [...nodeArgs, MAIN], {
    cwd: dir,
    env: {
      SWITCHBOARD_CONTROL_URL: `ws://127.0.0.1:${closedPort}`,
      SWITCHBOARD_AGENT_TOKEN: 'bench',
      SWITCHBOARD_AGENT_NAME: 'bench',
      SWITCHBOARD_LISTEN: `127.0.0.1:${port}`,
      SWITCHBOARD_ADMIN_LISTEN: `127.0.0.1:${adminPort}`,
      SWITCHBOARD_CACHE_DIR: cacheDir,
      SWITCHBOARD_LOG_LEVEL: 'warn',
      ...(options.agentWorkers ? { SWITCHBOARD_WORKERS: options.agentWorkers } : {}),
    },
  });
  return {
    name: 'agent',
    child,
    port,
    endpoint: { wsUrls: [`ws://127.0.0.1:${port}/ws`], http: [{ host: '127.0.0.1', port }] },
    pids: [child.pid],
    describe: `Switchboard agent (node ${process.version}, ${options.agentWorkers ? `SWITCHBOARD_WORKERS=${options.agentWorkers}` : 'one process'}), lbmethod bybusyness`,
    memberCounters: () => memberCounters(adminPort),
    heapUsed: () => heapUsed(adminPort),
    profileDir: options.cpuProfile ? profileDir : undefined,
  };
}

/**
 * The snapshot the agent serves (with its hash, as the control plane would send it).
 * @param {number[]} memberPorts
 */
function benchSnapshot(memberPorts) {
  const protocol = createRequire(import.meta.url)(PROTOCOL);
  const members = memberPorts.map((port, i) => ({ id: `m${i + 1}`, url: `http://127.0.0.1:${port}`, name: `m${i + 1}`, weight: 1, lbset: 0, state: 'active', drain: null }));
  const balancer = {
    id: 'bench', name: 'bench', lbMethod: 'bybusyness', sticky: protocol.DEFAULT_STICKY, hash: protocol.DEFAULT_HASH_KEY, slowStartMs: 0,
    hostHeader: protocol.DEFAULT_HOST_HEADER, timeouts: { connectMs: 3_000, tunnelIdleMs: 3_600_000, keepAliveMs: 15_000 }, limits: protocol.DEFAULT_LIMITS,
    failover: protocol.DEFAULT_FAILOVER, healthCheck: protocol.DEFAULT_HEALTH_CHECK, passiveHealth: protocol.DEFAULT_PASSIVE_HEALTH, tls: protocol.DEFAULT_UPSTREAM_TLS,
    rebalance: null, members,
  };
  const route = { id: 'all', balancerId: 'bench', priority: 0, host: null, match: { type: 'prefix', path: '/' }, websocket: 'any', stripPrefix: false, enabled: true };
  const config = { balancers: [balancer], routes: [route] };
  return { revision: 1, hash: protocol.hashConfig(config), config };
}

/**
 * V8 heap in use in the agent (bytes), from its /metrics (`nodejs_heap_size_used_bytes`).
 * @param {number} adminPort
 */
async function heapUsed(adminPort) {
  const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\d+)/m.exec(text)?.[1] ?? NaN);
}

/**
 * The agent's own per-member counters, from its admin port's /metrics: `elected` (choices) and
 * open tunnels, keyed by member id.
 * @param {number} adminPort
 * @returns {Promise<Record<string, { elected: number, openTunnels: number }>>}
 */
async function memberCounters(adminPort) {
  const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  /** @type {Record<string, { elected: number, openTunnels: number }>} */
  const counters = {};
  for (const match of text.matchAll(/^switchboard_agent_member_(elected_total|open_tunnels)\{[^}]*member="([^"]+)"[^}]*\} (\d+)/gm)) {
    const entry = (counters[match[2]] ??= { elected: 0, openTunnels: 0 });
    if (match[1] === 'elected_total') entry.elected = Number(match[3]);
    else entry.openTunnels = Number(match[3]);
  }
  return counters;
}
