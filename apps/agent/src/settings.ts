import { readFileSync } from 'node:fs';
import { availableParallelism, hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { CHANNEL_PATH, describeIssues } from '@switchboard/protocol';
import { isLoopbackHost } from './loopback';
import type { ClientAddressing } from './proxy/client-address';
import { parseTrustedProxies } from './proxy/trusted-proxies';
import { caBundleProblem, certificateProblem, keyMismatch, privateKeyProblem } from './tls/pem-files';
import type { PemFile } from './tls/pem-files';

/** A TCP address to listen on; `host` undefined means every interface. Port 0 asks for an ephemeral port. */
export interface ListenAddress {
  readonly host: string | undefined;
  readonly port: number;
}

const LISTEN_PATTERN = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/;

/**
 * Parses `:PORT`, `HOST:PORT` or `[IPv6]:PORT` (as SWITCHBOARD_LISTEN takes it).
 * Returns undefined when the text has another form or the port is above 65535.
 */
export function parseListenAddress(text: string): ListenAddress | undefined {
  const match = LISTEN_PATTERN.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port > 65_535) return undefined;
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}

/**
 * Turns the control plane's base URL into the agent channel's URL: `ws://h:4000` →
 * `ws://h:4000/agents/connect`; a URL already ending in `/agents/connect` is kept.
 * Returns undefined unless the URL is absolute ws, wss, http or https without query or fragment.
 */
export function controlChannelUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '') return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith(CHANNEL_PATH) ? path : `${path}${CHANNEL_PATH}`;
  return url.toString();
}

const required = (what: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`) });

const listenAddress = z.string().transform((text, ctx) => {
  const address = parseListenAddress(text);
  if (address) return address;
  ctx.addIssue({ code: 'custom', message: 'must be :PORT or HOST:PORT with a port from 0 to 65535' });
  return z.NEVER;
});

const controlUrl = z.string(required('a URL')).transform((text, ctx) => {
  const url = controlChannelUrl(text);
  if (url) return url;
  ctx.addIssue({ code: 'custom', message: 'must be an absolute ws, wss, http or https URL without query or fragment' });
  return z.NEVER;
});

const workerCount = z.string().transform((text, ctx) => {
  if (text === 'auto') return availableParallelism();
  const count = Number(text);
  if (Number.isInteger(count) && count >= 1 && count <= 64) return count;
  ctx.addIssue({ code: 'custom', message: 'must be auto or an integer from 1 to 64' });
  return z.NEVER;
});

/** SWITCHBOARD_TRUSTED_PROXIES: comma-separated CIDRs, canonical (`10.0.0.0/8`, a bare address as /32 or /128). */
const trustedProxies = z.string().transform((text, ctx) => {
  const parsed = parseTrustedProxies(text);
  if (Array.isArray(parsed)) return parsed;
  ctx.addIssue({ code: 'custom', message: parsed.error });
  return z.NEVER;
});

/** A switch: `1` on, `0` off. */
const flag = z.enum(['0', '1'], { error: 'must be 0 or 1' }).transform((text) => text === '1');

/** A PEM file setting: a path (relative to the working directory), read at once and checked with `problem`. */
const pemFile = (problem: (pem: Buffer) => string | undefined) =>
  z.string(required('a file name')).transform((text, ctx): PemFile => {
    const file = resolve(text);
    let pem: Buffer;
    try {
      pem = readFileSync(file);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `cannot be read (${(error as Error).message})` });
      return z.NEVER;
    }
    const why = problem(pem);
    if (why === undefined) return { file, pem };
    ctx.addIssue({ code: 'custom', message: `${file} ${why}` });
    return z.NEVER;
  });

const certificateFile = pemFile(certificateProblem);
const privateKeyFile = pemFile(privateKeyProblem);

/** A host to listen on: a name, IPv4, or IPv6 with or without brackets (brackets dropped). */
const listenHost = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*|[A-Za-z0-9.-]+)$/, 'must be a host name or an IP address')
  .transform((host) => host.replace(/^\[(.*)\]$/, '$1'));

interface CredentialVariables {
  readonly SWITCHBOARD_TLS_CERT_FILE?: PemFile;
  readonly SWITCHBOARD_TLS_KEY_FILE?: PemFile;
}

/** The key must be the certificate's (checked once both files are valid alone). */
function keyMatchesCertificate(vars: CredentialVariables, ctx: z.RefinementCtx): void {
  const cert = vars.SWITCHBOARD_TLS_CERT_FILE;
  const key = vars.SWITCHBOARD_TLS_KEY_FILE;
  if (!cert || !key) return;
  const mismatch = keyMismatch(cert.pem, key.pem);
  if (mismatch) ctx.addIssue({ code: 'custom', path: ['SWITCHBOARD_TLS_KEY_FILE'], message: `${key.file} is not the key of the certificate in SWITCHBOARD_TLS_CERT_FILE (${mismatch})` });
}

/** Shortest admin token accepted, in characters (as SWITCHBOARD_ADMIN_TOKEN on the control plane). */
const MIN_ADMIN_TOKEN = 16;

/** SWITCHBOARD_ADMIN_TOKEN_FILE: read once at boot; surrounding white space (the file's final newline) is dropped. */
const adminTokenFile = z.string().transform((text, ctx) => {
  const file = resolve(text);
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `cannot be read (${(error as Error).message})` });
    return z.NEVER;
  }
  if (token.length >= MIN_ADMIN_TOKEN && /^[\x21-\x7e]+$/.test(token)) return token;
  ctx.addIssue({ code: 'custom', message: `${file} must hold one token of at least ${MIN_ADMIN_TOKEN} printable ASCII characters without spaces` });
  return z.NEVER;
});

/** True when the control channel would carry the agent token in clear (ws/http) to a host other than this one. */
export function isInsecureRemoteControl(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return (protocol === 'ws:' || protocol === 'http:') && !isLoopbackHost(hostname);
}

interface ExposureVariables {
  readonly SWITCHBOARD_CONTROL_URL?: unknown;
  readonly SWITCHBOARD_ALLOW_INSECURE_CONTROL?: unknown;
  readonly SWITCHBOARD_ADMIN_LISTEN?: unknown;
  readonly SWITCHBOARD_ADMIN_TOKEN_FILE?: unknown;
}

/**
 * Refuses what would expose a secret on the network: a plaintext control URL to another host
 * (the agent token in clear) without SWITCHBOARD_ALLOW_INSECURE_CONTROL=1, and an admin port
 * bound beyond loopback (member URLs in /config) without SWITCHBOARD_ADMIN_TOKEN_FILE. Runs even
 * when other variables are bad; a variable that failed its own check is skipped here.
 */
function secretsStayLocal(vars: ExposureVariables, ctx: z.RefinementCtx): void {
  const url = typeof vars.SWITCHBOARD_CONTROL_URL === 'string' ? controlChannelUrl(vars.SWITCHBOARD_CONTROL_URL) : undefined;
  if (url && isInsecureRemoteControl(url) && vars.SWITCHBOARD_ALLOW_INSECURE_CONTROL !== '1') {
    const message = `${url} is neither encrypted nor loopback: the agent token would cross the network in clear; use wss:// (SWITCHBOARD_CONTROL_CA_FILE for a private CA), or set SWITCHBOARD_ALLOW_INSECURE_CONTROL=1 on a network you trust`;
    ctx.addIssue({ code: 'custom', path: ['SWITCHBOARD_CONTROL_URL'], message });
  }
  const admin = vars.SWITCHBOARD_ADMIN_LISTEN as ListenAddress | string | undefined;
  if (typeof admin === 'object' && !isLoopbackHost(admin.host) && vars.SWITCHBOARD_ADMIN_TOKEN_FILE === undefined) {
    const where = `${admin.host ?? 'every interface'} port ${admin.port}`;
    ctx.addIssue({ code: 'custom', path: ['SWITCHBOARD_ADMIN_TOKEN_FILE'], message: `is required when SWITCHBOARD_ADMIN_LISTEN is not loopback (${where}): /config shows member URLs to anyone who can reach the port` });
  }
}

const TLS_LISTENER_VARIABLES = ['SWITCHBOARD_TLS_HOST', 'SWITCHBOARD_TLS_CERT_FILE', 'SWITCHBOARD_TLS_KEY_FILE'] as const;

/** SWITCHBOARD_TLS_PORT turns the TLS listener on and needs a certificate and key; its other variables mean nothing without it. */
function tlsVariablesTogether(vars: { SWITCHBOARD_TLS_PORT?: unknown } & Partial<Record<(typeof TLS_LISTENER_VARIABLES)[number], unknown>>, ctx: z.RefinementCtx): void {
  const on = vars.SWITCHBOARD_TLS_PORT !== undefined;
  for (const name of TLS_LISTENER_VARIABLES) {
    if (!on && vars[name] !== undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'is set but SWITCHBOARD_TLS_PORT is not' });
    if (on && vars[name] === undefined && name !== 'SWITCHBOARD_TLS_HOST') ctx.addIssue({ code: 'custom', path: [name], message: 'is required when SWITCHBOARD_TLS_PORT is set' });
  }
}

/** The TLS listener's certificate and key, read and checked as a pair (at boot and on SIGHUP). */
const serverCredentials = z.object({ SWITCHBOARD_TLS_CERT_FILE: certificateFile, SWITCHBOARD_TLS_KEY_FILE: privateKeyFile }).superRefine(keyMatchesCertificate);

const environment = z.object({
  SWITCHBOARD_CONTROL_URL: controlUrl,
  SWITCHBOARD_AGENT_TOKEN: z.string(required('a string')).min(1, 'is required'),
  SWITCHBOARD_AGENT_NAME: z.string().max(200, 'must be at most 200 characters').default(hostname()),
  SWITCHBOARD_LISTEN: listenAddress.prefault(':8080'),
  SWITCHBOARD_ADMIN_LISTEN: listenAddress.prefault('127.0.0.1:9901'),
  SWITCHBOARD_CACHE_DIR: z.string().default('./.switchboard/agent-cache'),
  SWITCHBOARD_STATS_INTERVAL_MS: z.coerce.number().int('must be an integer').min(100).max(60_000).default(1_000),
  SWITCHBOARD_CONTROL_REFUSED_RETRY_MS: z.coerce.number().int('must be an integer').min(100).max(3_600_000).default(30_000),
  SWITCHBOARD_REQUEST_HEADER_MS: z.coerce.number().int('must be an integer').min(100).max(600_000).default(10_000),
  SWITCHBOARD_MAX_HEADER_BYTES: z.coerce.number().int('must be an integer').min(1_024).max(1_048_576).default(16_384),
  SWITCHBOARD_REQUEST_BODY_IDLE_MS: z.coerce.number().int('must be an integer').min(0).max(3_600_000).default(30_000),
  SWITCHBOARD_MAX_CONNECTIONS: z.coerce.number().int('must be an integer').min(0).max(1_000_000).default(10_000),
  SWITCHBOARD_WORKERS: workerCount.prefault('1'),
  SWITCHBOARD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SWITCHBOARD_TLS_PORT: z.coerce.number().int('must be an integer').min(0).max(65_535).optional(),
  SWITCHBOARD_TLS_HOST: listenHost.optional(),
  SWITCHBOARD_TLS_CERT_FILE: certificateFile.optional(),
  SWITCHBOARD_TLS_KEY_FILE: privateKeyFile.optional(),
  SWITCHBOARD_UPSTREAM_CA_FILE: pemFile(caBundleProblem).optional(),
  SWITCHBOARD_TRUSTED_PROXIES: trustedProxies.optional(),
  SWITCHBOARD_PROXY_PROTOCOL: flag.prefault('0'),
  SWITCHBOARD_CONTROL_CA_FILE: pemFile(caBundleProblem).optional(),
  SWITCHBOARD_ALLOW_INSECURE_CONTROL: z.enum(['0', '1'], 'must be 0 or 1').optional(),
  SWITCHBOARD_ADMIN_TOKEN_FILE: adminTokenFile.optional(),
})
  // Only looks at which variables are set, so it runs (and reports) even when other variables are bad.
  .superRefine(tlsVariablesTogether, { when: () => true })
  .superRefine(secretsStayLocal, { when: () => true })
  .superRefine(keyMatchesCertificate);

/** The TLS listener's certificate chain and private key (PEM, as read from their files). */
export interface ServerCredentials {
  readonly cert: PemFile;
  readonly key: PemFile;
}

/** The TLS listener: where it listens and what it presents. */
export interface TlsListenerSettings extends ServerCredentials {
  readonly listen: ListenAddress;
}

/** The agent's settings, read once at boot from the environment. */
export interface AgentSettings {
  /** Full URL of the control channel, ending in `/agents/connect`. */
  readonly controlUrl: string;
  /** Sent as `Authorization: Bearer <token>` on the control channel's upgrade. */
  readonly token: string;
  /** The agent's name in the fleet (default: the host name). */
  readonly name: string;
  /** Client traffic (default `:8080`). */
  readonly listen: ListenAddress;
  /** `/healthz`, `/metrics`, `/config` (default `127.0.0.1:9901`). */
  readonly adminListen: ListenAddress;
  /** Bearer token every admin request must carry (SWITCHBOARD_ADMIN_TOKEN_FILE), or null (loopback only). */
  readonly adminToken: string | null;
  /** Absolute directory of the last good snapshot (default `./.switchboard/agent-cache`). */
  readonly cacheDir: string;
  /** Period of `stats` messages in milliseconds (default 1000). */
  readonly statsIntervalMs: number;
  /** Reconnect delay (±50 %) after the control plane refused or revoked this agent, in milliseconds (default 30000). */
  readonly refusedRetryMs: number;
  /** Time the whole request head may take to arrive on the proxy port, in milliseconds (default 10000). */
  readonly requestHeaderMs: number;
  /** Largest request head accepted on the proxy port, in bytes (default 16384); larger gets 431. */
  readonly maxHeaderBytes: number;
  /** A request body with no byte from the client for this long gets 408, in milliseconds (default 30000; 0 = never). */
  readonly requestBodyIdleMs: number;
  /** Client connections the whole agent holds at most (default 10000; 0 = no cap), split evenly across workers (see maxConnectionsPerProcess). */
  readonly maxConnections: number;
  /** pino level (default `info`). */
  readonly logLevel: string;
  /** Proxy processes sharing the listener (default 1; `auto` = one per core); above 1 a primary process keeps the control channel and the admin port. */
  readonly workers: number;

  /** HTTPS/WSS listener (SWITCHBOARD_TLS_*), or null when SWITCHBOARD_TLS_PORT is unset. */
  readonly tls: TlsListenerSettings | null;
  /** CA bundle trusted for https/wss members besides Node's bundled CAs (SWITCHBOARD_UPSTREAM_CA_FILE), or null. */
  readonly upstreamCa: PemFile | null;
  /** Peers whose forwarding headers are believed (SWITCHBOARD_TRUSTED_PROXIES, default none), and whether both proxy listeners read a PROXY header first (SWITCHBOARD_PROXY_PROTOCOL, default off). */
  readonly clients: ClientAddressing;
  /** CA bundle trusted for a wss/https control URL besides Node's bundled CAs (SWITCHBOARD_CONTROL_CA_FILE), or null. */
  readonly controlCa: PemFile | null;
}

/** Raised when the environment is invalid; the message names every bad variable. */
export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/**
 * Reads and validates the SWITCHBOARD_* variables (see the README's configuration table), and
 * reads the files they name (TLS certificate, key, upstream and control CA bundles, admin token),
 * checking their content. Refuses a plaintext control URL to another host and an admin port
 * beyond loopback without a token (see secretsStayLocal).
 * Empty variables count as unset. Throws SettingsError naming each bad variable (for a file: its
 * path and why it is unreadable or invalid).
 */
export function loadSettings(env: NodeJS.ProcessEnv): AgentSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environment.safeParse(present);
  if (!parsed.success) throw new SettingsError(`invalid environment: ${describeIssues(parsed.error)}`);
  const vars = parsed.data;
  return {
    controlUrl: vars.SWITCHBOARD_CONTROL_URL,
    token: vars.SWITCHBOARD_AGENT_TOKEN,
    name: vars.SWITCHBOARD_AGENT_NAME,
    listen: vars.SWITCHBOARD_LISTEN,
    adminListen: vars.SWITCHBOARD_ADMIN_LISTEN,
    adminToken: vars.SWITCHBOARD_ADMIN_TOKEN_FILE ?? null,
    cacheDir: resolve(vars.SWITCHBOARD_CACHE_DIR),
    statsIntervalMs: vars.SWITCHBOARD_STATS_INTERVAL_MS,
    refusedRetryMs: vars.SWITCHBOARD_CONTROL_REFUSED_RETRY_MS,
    requestHeaderMs: vars.SWITCHBOARD_REQUEST_HEADER_MS,
    maxHeaderBytes: vars.SWITCHBOARD_MAX_HEADER_BYTES,
    requestBodyIdleMs: vars.SWITCHBOARD_REQUEST_BODY_IDLE_MS,
    maxConnections: vars.SWITCHBOARD_MAX_CONNECTIONS,
    logLevel: vars.SWITCHBOARD_LOG_LEVEL,
    workers: vars.SWITCHBOARD_WORKERS,

    tls: tlsListener(vars),
    upstreamCa: vars.SWITCHBOARD_UPSTREAM_CA_FILE ?? null,
    clients: { trustedProxies: vars.SWITCHBOARD_TRUSTED_PROXIES ?? [], proxyProtocol: vars.SWITCHBOARD_PROXY_PROTOCOL },
    controlCa: vars.SWITCHBOARD_CONTROL_CA_FILE ?? null,
  };
}

/**
 * The client connections one proxy process may hold: SWITCHBOARD_MAX_CONNECTIONS split evenly
 * across the SWITCHBOARD_WORKERS processes (rounded up), so the agent as a whole holds about
 * the cap without counting across processes; 0 = no cap.
 */
export function maxConnectionsPerProcess(settings: Pick<AgentSettings, 'maxConnections' | 'workers'>): number {
  return Math.ceil(settings.maxConnections / settings.workers);
}

/** The TLS listener's settings once the environment is valid (so a TLS port comes with both files); its host defaults to SWITCHBOARD_LISTEN's. */
function tlsListener(vars: z.output<typeof environment>): TlsListenerSettings | null {
  const port = vars.SWITCHBOARD_TLS_PORT;
  if (port === undefined) return null;
  return {
    listen: { host: vars.SWITCHBOARD_TLS_HOST ?? vars.SWITCHBOARD_LISTEN.host, port },
    cert: vars.SWITCHBOARD_TLS_CERT_FILE!,
    key: vars.SWITCHBOARD_TLS_KEY_FILE!,
  };
}

/**
 * Reads the TLS listener's certificate and key files again (on SIGHUP, to pick up renewed
 * ones), checked as at boot. Throws SettingsError naming the bad variable and why.
 */
export function loadServerCredentials(certFile: string, keyFile: string): ServerCredentials {
  const parsed = serverCredentials.safeParse({ SWITCHBOARD_TLS_CERT_FILE: certFile, SWITCHBOARD_TLS_KEY_FILE: keyFile });
  if (!parsed.success) throw new SettingsError(describeIssues(parsed.error));
  return { cert: parsed.data.SWITCHBOARD_TLS_CERT_FILE, key: parsed.data.SWITCHBOARD_TLS_KEY_FILE };
}
