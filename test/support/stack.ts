import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { createApiClient, type ApiClient, type ConfigChange } from '@switchboard/api-client';
import { Agent as Dispatcher } from 'undici';
import { createTestDatabase, type TestDatabase } from './database';
import { startNode, type Proc } from './processes';

/** The built control plane's entry point, relative to the repository root. */
export const CONTROL_PLANE = 'dist/control-plane/apps/control-plane/src/main.js';
const AGENT = 'dist/agent/apps/agent/src/main.js';

/** An API answer: status, parsed JSON body (or text) and headers. */
export interface ApiAnswer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A running agent process and its ports. */
export interface AgentHandle {
  proc: Proc;
  url: string;
  adminUrl: string;
}

/**
 * The control plane serving HTTPS/WSS itself (SWITCHBOARD_TLS_CERT_FILE/_KEY_FILE, a certificate
 * for 127.0.0.1), and the CA that `api`, the agents (SWITCHBOARD_CONTROL_CA_FILE) and the
 * dashboard (NODE_EXTRA_CA_CERTS) trust for it.
 */
export interface StackTls {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** A control plane, agents and optionally the dashboard, each a separate process, on free ports. */
export interface Stack {
  apiUrl: string;
  /** The control plane's database on the test Postgres (null with the embedded one). */
  databaseUrl: string | null;
  adminToken: string;
  /** The first agent's proxy URL (http://127.0.0.1:PORT); changes when that agent restarts. */
  agentUrl: string;
  agentAdminUrl: string;
  dashboardUrl: string;
  agents: AgentHandle[];
  /** The typed client of the API (libs/api-client) with the admin token: for every well-formed call. */
  client: ApiClient;
  /** A raw call with the admin token: for requests the typed client cannot make (malformed bodies, YAML, odd headers). */
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiAnswer<T>>;
  /** Stops the control plane (SIGTERM). */
  stopControlPlane(): Promise<void>;
  /** Starts it again on the same port and database. */
  startControlPlane(): Promise<void>;
  /** Starts another control-plane replica on the same database (stopped by `stop`); returns its http:// URL. */
  startReplica(): Promise<string>;
  /** The running control plane's output lines so far (stdout and stderr). */
  controlPlaneOutput(): string[];
  /** Starts one more agent with its own cache directory (or `cacheDir`). */
  startAgent(opts?: { name?: string; cacheDir?: string }): Promise<AgentHandle>;
  /** Stops agent `index` and starts it again with the same name and cache; updates agentUrl for agent 0. */
  restartAgent(index?: number): Promise<AgentHandle>;
  stop(): Promise<void>;
}

/**
 * The resource a typed client call answered (never a dry run's ConfigChange) with its response;
 * throws naming `what`, the status and the problem when the call did not succeed.
 */
export async function resource<T>(what: string, pending: Promise<{ data?: T | ConfigChange; error?: unknown; response: Response }>): Promise<{ body: T; response: Response }> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new Error(`${what}: ${response.status} ${JSON.stringify(error)}`);
  return { body: data as T, response };
}

/** A free TCP port on 127.0.0.1, for processes that must keep their port across restarts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the control plane (against `databaseUrl` when given, else a fresh database on the test
 * Postgres when it answers, else the embedded Postgres in a temp dir; `controlEnv` added to its
 * environment), creates an agent token through the API and starts `agents` agents (default 1,
 * each with `agentEnv` on top of its own settings), plus the dashboard when asked.
 */
export async function startStack(
  opts: { dashboard?: boolean; agents?: number; tls?: StackTls; databaseUrl?: string; controlEnv?: NodeJS.ProcessEnv; agentEnv?: NodeJS.ProcessEnv } = {},
): Promise<Stack> {
  const tmp = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const database: TestDatabase | null = opts.databaseUrl ? null : await createTestDatabase();
  const adminToken = `sb_test_${randomBytes(16).toString('hex')}`;
  const controlPort = await freePort();
  const controlEnv: NodeJS.ProcessEnv = {
    SWITCHBOARD_CONTROL_PORT: String(controlPort),
    SWITCHBOARD_CONTROL_HOST: '127.0.0.1',
    SWITCHBOARD_ADMIN_TOKEN: adminToken,
    SWITCHBOARD_DATA_DIR: join(tmp, 'data'),
    SWITCHBOARD_EMBEDDED_PG_PORT: String(await freePort()),
    DATABASE_URL: opts.databaseUrl ?? database?.url ?? '',
    LOG_LEVEL: 'warn',
    // Every JSON answer is checked against its operation's response schema (500 when it differs), so each test proves the contract true.
    SWITCHBOARD_CHECK_RESPONSES: '1',
    ...(opts.tls ? { SWITCHBOARD_TLS_CERT_FILE: opts.tls.certFile, SWITCHBOARD_TLS_KEY_FILE: opts.tls.keyFile } : {}),
    ...opts.controlEnv,
  };
  const apiUrl = `${opts.tls ? 'https' : 'http'}://127.0.0.1:${controlPort}`;
  const dispatcher = opts.tls ? new Dispatcher({ connect: { ca: readFileSync(opts.tls.caFile) } }) : undefined;
  let controlPlane: Proc | null = (await startNode('control-plane', [CONTROL_PLANE], controlEnv, { timeoutMs: 120_000 })).proc;
  const procs: Proc[] = [];

  const api = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer<T>> => {
    const res = await fetch(`${apiUrl}${path}`, {
      ...(dispatcher ? { dispatcher } : {}),
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  };

  const client = createApiClient(apiUrl, { token: adminToken, fetch: (request) => fetch(request, dispatcher ? ({ dispatcher } as RequestInit) : undefined) });
  const agentToken = (await resource('create agent token', client.POST('/api/v1/agent-tokens', { body: { name: 'test-agents' } }))).body.token;
  const agentSpecs: { name: string; cacheDir: string }[] = [];
  const launchAgent = async (spec: { name: string; cacheDir: string }): Promise<AgentHandle> => {
    const { proc, ready } = await startNode(spec.name, [AGENT], {
      SWITCHBOARD_CONTROL_URL: `${opts.tls ? 'wss' : 'ws'}://127.0.0.1:${controlPort}`,
      ...(opts.tls ? { SWITCHBOARD_CONTROL_CA_FILE: opts.tls.caFile } : {}),
      SWITCHBOARD_AGENT_TOKEN: agentToken,
      SWITCHBOARD_AGENT_NAME: spec.name,
      SWITCHBOARD_LISTEN: '127.0.0.1:0',
      SWITCHBOARD_ADMIN_LISTEN: '127.0.0.1:0',
      SWITCHBOARD_CACHE_DIR: spec.cacheDir,
      LOG_LEVEL: 'warn',
      ...opts.agentEnv,
    });
    procs.push(proc);
    return { proc, url: `http://127.0.0.1:${String(ready.port)}`, adminUrl: `http://127.0.0.1:${String(ready.adminPort)}` };
  };

  const stack: Stack = {
    apiUrl,
    databaseUrl: opts.databaseUrl ?? database?.url ?? null,
    adminToken,
    agentUrl: '',
    agentAdminUrl: '',
    dashboardUrl: '',
    agents: [],
    client,
    api,
    stopControlPlane: async () => {
      await controlPlane?.stop();
      controlPlane = null;
    },
    startControlPlane: async () => {
      controlPlane = (await startNode('control-plane', [CONTROL_PLANE], controlEnv, { timeoutMs: 120_000 })).proc;
    },
    startReplica: async () => {
      if (!stack.databaseUrl) throw new Error('a second replica needs the test Postgres (the embedded one serves one process)');
      const port = await freePort();
      procs.push((await startNode(`control-plane-${port}`, [CONTROL_PLANE], { ...controlEnv, SWITCHBOARD_CONTROL_PORT: String(port) }, { timeoutMs: 120_000 })).proc);
      return `http://127.0.0.1:${port}`;
    },
    controlPlaneOutput: () => controlPlane?.output ?? [],
    startAgent: async (agentOpts = {}) => {
      const spec = { name: agentOpts.name ?? `agent-${agentSpecs.length + 1}`, cacheDir: agentOpts.cacheDir ?? join(tmp, `cache-${agentSpecs.length + 1}`) };
      agentSpecs.push(spec);
      const handle = await launchAgent(spec);
      stack.agents.push(handle);
      if (stack.agents.length === 1) setFirstAgent(stack, handle);
      return handle;
    },
    restartAgent: async (index = 0) => {
      await stack.agents[index].proc.stop();
      const handle = await launchAgent(agentSpecs[index]);
      stack.agents[index] = handle;
      if (index === 0) setFirstAgent(stack, handle);
      return handle;
    },
    stop: async () => {
      await Promise.all(procs.map((p) => p.stop()));
      await controlPlane?.stop();
      await dispatcher?.close();
      await database?.drop().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < (opts.agents ?? 1); i++) await stack.startAgent();
  if (opts.dashboard) {
    const dashboard = await startDashboard(apiUrl, opts.tls ? { NODE_EXTRA_CA_CERTS: opts.tls.caFile } : {});
    procs.push(dashboard.proc);
    stack.dashboardUrl = dashboard.url;
  }
  return stack;
}

/** The built dashboard (`next start`) on a free port of 127.0.0.1, forwarding to `apiUrl`; `env` is added to its environment. */
export async function startDashboard(apiUrl: string, env: NodeJS.ProcessEnv = {}): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const { proc } = await startNode('dashboard', ['node_modules/next/dist/bin/next', 'start', 'apps/dashboard', '-p', String(port), '-H', '127.0.0.1'], { SWITCHBOARD_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1', ...env }, { ready: (line) => /Ready in|started server/i.test(line) });
  return { proc, url: `http://127.0.0.1:${port}` };
}

function setFirstAgent(stack: Stack, handle: AgentHandle): void {
  stack.agentUrl = handle.url;
  stack.agentAdminUrl = handle.adminUrl;
}

/** A backend process (test/support/echo-backend.cjs) that can be killed like a crashed server. */
export interface EchoBackend {
  name: string;
  url: string;
  port: number;
  proc: Proc;
  /** Makes `GET /health` answer `status` from now on (200 = healthy). */
  setHealth(status: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts a real `ws` echo server in its own process; it answers text as `<name>: <text>`. */
export async function startEchoBackend(name: string, port = 0): Promise<EchoBackend> {
  const { proc, ready } = await startNode(name, ['test/support/echo-backend.cjs'], { NAME: name, PORT: String(port) });
  const bound = Number(ready.port);
  const setHealth = async (status: number): Promise<void> => {
    const res = await fetch(`http://127.0.0.1:${bound}/__health/${status}`, { method: 'PUT' });
    if (!res.ok) throw new Error(`${name}: setting health answered ${res.status}`);
  };
  return { name, url: `ws://127.0.0.1:${bound}`, port: bound, proc, setHealth, close: () => proc.stop() };
}
