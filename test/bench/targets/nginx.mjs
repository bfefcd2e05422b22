// @ts-check
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, hasCommand, startChild } from '../lib/processes.mjs';

const NGINX = process.env.BENCH_NGINX ?? 'nginx';

/**
 * NGINX in the foreground (`nginx -p <dir> -e <dir>/error.log -c <cfg> -g 'daemon off;'`, pid,
 * logs and temp paths in the run's directory), configured as the classic WebSocket recipe:
 * `proxy_http_version 1.1`, `Upgrade`/`Connection` headers passed from `$http_upgrade`,
 * `proxy_read_timeout 3600s`, upstream `least_conn` over the two members with `keepalive 64`.
 * The Connection map sends an empty header (not `close`) for plain requests, so upstream
 * keep-alive works. `worker_processes` is BENCH_PROXY_WORKERS; the open-files limit bounds the
 * sockets (client and member alike; `worker_connections` is set above it); access log off.
 * Skipped with a note when `nginx` is not installed (BENCH_NGINX names another binary).
 * @param {import('./target.mjs').TargetContext} context
 * @returns {Promise<import('./target.mjs').Target>}
 */
export async function startNginx({ dir, backends, options, nofile }) {
  if (!hasCommand(NGINX)) return { name: 'nginx', skipped: `${NGINX} not found (apt-get install nginx)` };
  const port = await freePort();
  const prefix = join(dir, 'nginx');
  await mkdir(join(prefix, 'temp'), { recursive: true });
  const file = join(prefix, 'nginx.conf');
  await writeFile(file, nginxConfig(prefix, port, backends.map((b) => b.ports.nginx), options.proxyWorkers, nofile));
  const child = startChild('nginx', NGINX, ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', file, '-g', 'daemon off;'], { cwd: prefix });
  return {
    name: 'nginx',
    child,
    port,
    endpoint: { wsUrls: [`ws://127.0.0.1:${port}/ws`], http: [{ host: '127.0.0.1', port }] },
    pids: [child.pid],
    describe: `NGINX (worker_processes ${options.proxyWorkers}), least_conn, keepalive 64, proxy_read_timeout 3600s`,
  };
}

/**
 * @param {string} prefix
 * @param {number} port
 * @param {number[]} memberPorts
 * @param {number} workers
 * @param {number} nofile
 */
export function nginxConfig(prefix, port, memberPorts, workers, nofile) {
  const temp = join(prefix, 'temp');
  return `worker_processes ${workers};
worker_rlimit_nofile ${nofile};
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
user root;

events {
    # Twice the open-files limit: the files are the real bound; a smaller array makes NGINX close
    # connections still waiting for their request once fewer than 1/16 of it are free.
    worker_connections ${nofile * 2};
}

http {
    access_log off;
    client_body_temp_path ${temp}/client_body;
    proxy_temp_path ${temp}/proxy;
    fastcgi_temp_path ${temp}/fastcgi;
    uwsgi_temp_path ${temp}/uwsgi;
    scgi_temp_path ${temp}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 60s;

    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      '';
    }

    upstream members {
        least_conn;
${memberPorts.map((p) => `        server 127.0.0.1:${p};`).join('\n')}
        keepalive 64;
        keepalive_requests 1000000;
    }

    server {
        listen 127.0.0.1:${port} backlog=4096;
        location / {
            proxy_pass http://members;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 3600s;
            proxy_send_timeout 3600s;
        }
    }
}
`;
}
