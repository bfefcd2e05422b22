#!/usr/bin/env node
// `npm start`: the whole local stack in one terminal. Starts two demo chat backends, the control
// plane (embedded Postgres unless DATABASE_URL is set), one agent and the dashboard; creates the
// demo balancer `chat` through the REST API like any operator would; prints the URLs and the
// admin token. Ctrl-C stops everything, children first, in reverse order.
'use strict';
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const root = path.resolve(__dirname, '..');
const env = process.env;
const dataDir = path.resolve(env.SWITCHBOARD_DATA_DIR ?? path.join(root, '.switchboard'));
const ports = {
  control: Number(env.SWITCHBOARD_CONTROL_PORT ?? 4000),
  dashboard: Number(env.SWITCHBOARD_DASHBOARD_PORT ?? 3000),
  agent: env.SWITCHBOARD_LISTEN ?? ':8080',
  agentAdmin: env.SWITCHBOARD_ADMIN_LISTEN ?? '127.0.0.1:9901',
  demo: [Number(env.DEMO_PORT_A ?? 9101), Number(env.DEMO_PORT_B ?? 9102)],
};
const children = [];
let stopping = false;

/** The admin token: SWITCHBOARD_ADMIN_TOKEN, else the one kept in the data dir, else a new one. */
function adminToken() {
  if (env.SWITCHBOARD_ADMIN_TOKEN) return env.SWITCHBOARD_ADMIN_TOKEN;
  const file = path.join(dataDir, 'admin-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const token = `sb_${randomBytes(32).toString('base64url')}`;
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** Spawns a child whose output lines are prefixed with its name; resolves on a line matching `ready`. */
function start(name, args, extraEnv, ready) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push({ name, child });
  return new Promise((resolve, reject) => {
    const onLine = (line) => {
      process.stdout.write(`${name.padEnd(14)}| ${line}\n`);
      if (ready && ready(line)) resolve(child);
    };
    readline.createInterface({ input: child.stdout }).on('line', onLine);
    readline.createInterface({ input: child.stderr }).on('line', onLine);
    child.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(`${name} exited (${signal ?? code}); stopping the stack\n`);
        void stop(1);
      }
      reject(new Error(`${name} exited before it was ready`));
    });
    if (!ready) resolve(child);
  });
}

const listening = (line) => line.includes('"msg":"listening"');

async function api(token, method, route, body) {
  const res = await fetch(`http://127.0.0.1:${ports.control}/api/v1${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** Creates the demo configuration once: balancer `chat` (bybusyness), two members, route /chat. */
async function seedDemo(token) {
  const balancers = await api(token, 'GET', '/balancers');
  if (balancers.some((b) => b.name === 'chat')) return;
  const chat = await api(token, 'POST', '/balancers', { name: 'chat', lbMethod: 'bybusyness' });
  await api(token, 'POST', `/balancers/${chat.id}/members`, { url: `ws://127.0.0.1:${ports.demo[0]}`, name: 'chat-a' });
  await api(token, 'POST', `/balancers/${chat.id}/members`, { url: `ws://127.0.0.1:${ports.demo[1]}`, name: 'chat-b' });
  await api(token, 'POST', '/routes', { balancerId: chat.id, match: { type: 'prefix', path: '/chat' } });
}

/** The local agent's token: the one kept in the data dir while the API still knows it, else a new one. */
async function agentToken(token) {
  const file = path.join(dataDir, 'agent-token.json');
  if (fs.existsSync(file)) {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8'));
    const known = await api(token, 'GET', '/agent-tokens');
    if (known.some((t) => t.id === kept.id && !t.revokedAt)) return kept.token;
  }
  const created = await api(token, 'POST', '/agent-tokens', { name: 'local-agent' });
  fs.writeFileSync(file, JSON.stringify({ id: created.id, token: created.token }), { mode: 0o600 });
  return created.token;
}

async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const { child } of [...children].reverse()) {
    if (child.exitCode !== null) continue;
    child.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => (child.kill('SIGKILL'), resolve()), 10_000);
      child.once('exit', () => (clearTimeout(timer), resolve()));
    });
  }
  process.exit(code);
}

async function main() {
  fs.mkdirSync(dataDir, { recursive: true });
  const token = adminToken();
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  const demo = 'dist/demo-chat/apps/demo-chat/src/main.js';
  await start('chat-a', [demo], { DEMO_NAME: 'chat-a', PORT: String(ports.demo[0]) }, listening);
  await start('chat-b', [demo], { DEMO_NAME: 'chat-b', PORT: String(ports.demo[1]) }, listening);
  // The local stack talks plain HTTP on loopback: TLS variables meant for the agent's listener
  // (SWITCHBOARD_TLS_CERT_FILE/_KEY_FILE) would otherwise turn the control plane to HTTPS too.
  const plain = { SWITCHBOARD_TLS_CERT_FILE: '', SWITCHBOARD_TLS_KEY_FILE: '' };
  await start('control-plane', ['dist/control-plane/apps/control-plane/src/main.js'], { ...plain, SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_ADMIN_TOKEN: token, SWITCHBOARD_CONTROL_PORT: String(ports.control) }, listening);
  await seedDemo(token);
  await start('agent', ['dist/agent/apps/agent/src/main.js'], {
    SWITCHBOARD_CONTROL_URL: `ws://127.0.0.1:${ports.control}`,
    SWITCHBOARD_AGENT_TOKEN: await agentToken(token),
    SWITCHBOARD_AGENT_NAME: env.SWITCHBOARD_AGENT_NAME ?? 'local-agent',
    SWITCHBOARD_LISTEN: ports.agent,
    SWITCHBOARD_ADMIN_LISTEN: ports.agentAdmin,
    SWITCHBOARD_CACHE_DIR: path.join(dataDir, 'agent-cache'),
  }, listening);
  await start('dashboard', ['node_modules/next/dist/bin/next', 'start', 'apps/dashboard', '-p', String(ports.dashboard)], {
    SWITCHBOARD_API_URL: `http://127.0.0.1:${ports.control}`,
    NEXT_TELEMETRY_DISABLED: '1',
  }, (line) => /Ready|started server|Local:/i.test(line));
  const agentPort = ports.agent.split(':').pop();
  process.stdout.write(`
Switchboard is running.
  dashboard       http://localhost:${ports.dashboard}   (log in with the admin token)
  demo chat       http://localhost:${agentPort}/chat/    (through the agent; open it in two tabs)
  REST API        http://localhost:${ports.control}/api/v1   (OpenAPI UI: http://localhost:${ports.control}/api/docs)
  agent admin     http://${ports.agentAdmin}/config
  admin token     ${token}
Ctrl-C stops everything.
`);
}

main().catch((error) => {
  process.stderr.write(`npm start failed: ${error.message}\n`);
  void stop(1);
});
