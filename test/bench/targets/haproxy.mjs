// @ts-check
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, hasCommand, startChild } from '../lib/processes.mjs';

const HAPROXY = process.env.BENCH_HAPROXY ?? 'haproxy';

/**
 * HAProxy in the foreground (`haproxy -f <cfg> -db`), configured as the classic WebSocket
 * recipe: `mode http`, `timeout tunnel 1h`, `balance leastconn` over the two members, no
 * health checks (the agent has passive health only), no logging. `nbthread` is
 * BENCH_PROXY_WORKERS; `maxconn` fits the open-files limit (each tunnel holds two sockets).
 * Skipped with a note when `haproxy` is not installed (BENCH_HAPROXY names another binary).
 * @param {import('./target.mjs').TargetContext} context
 * @returns {Promise<import('./target.mjs').Target>}
 */
export async function startHaproxy({ dir, backends, options, maxConnections }) {
  if (!hasCommand(HAPROXY)) return { name: 'haproxy', skipped: `${HAPROXY} not found (apt-get install haproxy)` };
  const port = await freePort();
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, haproxyConfig(port, backends.map((b) => b.ports.haproxy), options.proxyWorkers, maxConnections));
  const child = startChild('haproxy', HAPROXY, ['-f', file, '-db'], { cwd: dir });
  return {
    name: 'haproxy',
    child,
    port,
    endpoint: { wsUrls: [`ws://127.0.0.1:${port}/ws`], http: [{ host: '127.0.0.1', port }] },
    pids: [child.pid],
    describe: `HAProxy (nbthread ${options.proxyWorkers}), balance leastconn, timeout tunnel 1h`,
  };
}

/**
 * @param {number} port
 * @param {number[]} memberPorts
 * @param {number} threads
 * @param {number} maxconn
 */
export function haproxyConfig(port, memberPorts, threads, maxconn) {
  return `global
    nbthread ${threads}
    maxconn ${maxconn}

defaults
    mode http
    option http-keep-alive
    timeout connect 3s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 60s
    timeout tunnel 1h

frontend bench
    bind 127.0.0.1:${port}
    default_backend members

backend members
    balance leastconn
${memberPorts.map((p, i) => `    server m${i + 1} 127.0.0.1:${p}`).join('\n')}
`;
}
