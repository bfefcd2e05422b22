// @ts-check
import { clearTimeout, setTimeout } from 'node:timers';
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Raises the soft open-files limit to the hard one, then execs the command: every child of the
 * bench runs under it (`ulimit -n` is per process; Node cannot raise it itself).
 */
const RAISE_NOFILE = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 1048576 2>/dev/null; exec "$0" "$@"';

/** The hard open-files limit children get (`ulimit -Hn`), or 1048576 when unlimited. */
export function hardNofile() {
  const text = execFileSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return text === 'unlimited' ? 1_048_576 : Number(text);
}

/**
 * @typedef {object} Child
 * @property {string} name
 * @property {import('node:child_process').ChildProcess} process
 * @property {number} pid
 * @property {string[]} output   last 200 lines of stdout and stderr
 * @property {() => Promise<void>} stop  SIGTERM, then SIGKILL after 5 s; resolves once it exited
 */

/**
 * Starts `command args` (raised open-files limit, see RAISE_NOFILE), with an IPC channel when
 * `ipc` (for our Node children). `sh` execs the command, so the pid is the command's.
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, ipc?: boolean, cwd?: string }} [options]
 * @returns {Child}
 */
export function startChild(name, command, args, { env = {}, ipc = false, cwd } = {}) {
  const child = spawn('/bin/sh', ['-c', RAISE_NOFILE, command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  /** @type {string[]} */
  const output = [];
  const keep = (/** @type {Buffer} */ chunk) => {
    for (const line of chunk.toString().split('\n')) if (line) output.push(line);
    if (output.length > 200) output.splice(0, output.length - 200);
    if (process.env.BENCH_VERBOSE) process.stderr.write(`[${name}] ${chunk}`);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { name, process: child, pid: /** @type {number} */ (child.pid), output, stop };
}

/** True when an executable exists on PATH (or at the absolute path given). @param {string} command */
export function hasCommand(command) {
  try {
    execFileSync('/bin/sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** An unused TCP port on 127.0.0.1 (bound then released, so another process could take it first). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return address.port;
}

/**
 * Polls `check` every 100 ms until it returns a truthy value; throws after `timeoutMs` with `what`.
 * @template T
 * @param {() => Promise<T> | T} check
 * @param {string} what
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function waitFor(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(100);
  }
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * The pid and every descendant of it (nginx's workers, a cluster's workers), from /proc.
 * @param {number} root
 * @returns {number[]}
 */
export function processTree(root) {
  /** @type {Map<number, number[]>} */
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProc(`/proc/${entry}/stat`);
    if (!stat) continue;
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/**
 * Resident memory (VmRSS, bytes) and CPU time used so far (user + system, ms) summed over the
 * processes of the given trees (shared pages of several processes are counted in each).
 * @param {number[]} roots
 * @returns {{ rssBytes: number, cpuMs: number, processes: number }}
 */
export function usageOf(roots) {
  let rssBytes = 0;
  let cpuMs = 0;
  let processes = 0;
  for (const pid of roots.flatMap(processTree)) {
    const status = readProc(`/proc/${pid}/status`);
    const stat = readProc(`/proc/${pid}/stat`);
    if (!status || !stat) continue;
    processes += 1;
    rssBytes += Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpuMs += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  }
  return { rssBytes, cpuMs, processes };
}

/** @param {string} path */
function readProc(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
