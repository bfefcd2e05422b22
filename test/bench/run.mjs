// @ts-check
// `npm run bench`: the Switchboard agent against HAProxy, NGINX and a direct connection, on this
// machine, in one run (see README.md in this folder). Prints a Markdown table and writes it to
// results/latest.md, with every figure in results/latest.json.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { URL, fileURLToPath } from 'node:url';
import { topSelfFrames } from './lib/cpu-profile.mjs';
import { startBackends, startGenerators } from './lib/fleet.mjs';
import { readOptions } from './lib/options.mjs';
import { connectRate, httpRequests, idleMemory, roundTrips } from './lib/phases.mjs';
import { hardNofile } from './lib/processes.mjs';
import { markdownReport } from './lib/report.mjs';
import { proxiedCheck, smokeCheck } from './lib/verify.mjs';
import { startAgent } from './targets/agent.mjs';
import { startDirect } from './targets/direct.mjs';
import { startHaproxy } from './targets/haproxy.mjs';
import { startNginx } from './targets/nginx.mjs';

const STARTERS = { direct: startDirect, agent: startAgent, haproxy: startHaproxy, nginx: startNginx };
/** Sockets a proxy keeps besides two per tunnel (listeners, logs, pooled member connections, margin). */
const FD_MARGIN = 400;

const options = readOptions(process.env, fileURLToPath(new URL('results', import.meta.url)));
const nofile = hardNofile();
// Each idle tunnel holds two sockets in one proxy process, and HAProxy (one process) cannot go
// above its open-files limit: cap the idle count to fit, in hundreds.
const idleCap = Math.floor((nofile - FD_MARGIN) / 2 / 100) * 100;
const idleTunnels = Math.min(options.idleTunnels, idleCap);
const idleNote = idleTunnels < options.idleTunnels ? `(${options.idleTunnels.toLocaleString('en')} asked; capped to fit the open-files limit of ${nofile}, two sockets per tunnel in one process.)` : '';

const log = (/** @type {string} */ text) => process.stderr.write(`[bench] ${text}\n`);
const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
/** @type {(() => Promise<unknown>)[]} */
const cleanups = [];
const cleanup = async () => {
  for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  if (options.keepTemp) log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  log(`${cpus().length} cores, open-files limit ${nofile}, idle tunnels ${idleTunnels}, temp ${dir}`);
  const loadStart = loadavg().map((l) => l.toFixed(2)).join(' ');
  const backends = await startBackends(options.targets);
  cleanups.push(...backends.map((b) => b.child.stop));
  const generators = await startGenerators(options.generators);
  cleanups.push(...generators.map((g) => g.child.stop));
  const bench = { generators, backends, options };

  /** @type {import('./targets/target.mjs').RunningTarget[]} */
  const targets = [];
  /** @type {Record<string, string>} */
  const described = {};
  for (const name of options.targets) {
    const target = await STARTERS[name]({ dir, backends, options, maxConnections: Math.floor((nofile - 200) / 2), nofile });
    if ('skipped' in target) {
      described[name] = `skipped: ${target.skipped}`;
      log(`${name} skipped: ${target.skipped}`);
      continue;
    }
    if (target.child) cleanups.push(target.child.stop);
    try {
      await smokeCheck(target);
    } catch (error) {
      described[name] = `failed to start: ${String(error)}`;
      log(`${name} failed its smoke check: ${String(error)}\n${target.child?.output.join('\n') ?? ''}`);
      continue;
    }
    described[name] = target.describe;
    targets.push(target);
  }

  /** @type {Record<string, Record<string, any>>} */
  const results = Object.fromEntries(targets.map((t) => [t.name, { ws: {} }]));
  const eachTarget = async (/** @type {string} */ what, /** @type {(t: import('./targets/target.mjs').RunningTarget) => Promise<unknown>} */ measure, /** @type {(r: Record<string, any>, value: any) => void} */ store) => {
    for (const target of targets) {
      log(`${what}: ${target.name}`);
      store(results[target.name], await measure(target));
    }
  };
  const runs = new Set(options.phases);
  if (runs.has('idle')) await eachTarget(`idle memory (${idleTunnels} WebSockets)`, (t) => idleMemory(bench, t, idleTunnels), (r, v) => (r.idle = v));
  if (runs.has('connect')) await eachTarget(`upgrade rate (${options.connectConcurrency} concurrent)`, (t) => connectRate(bench, t), (r, v) => (r.connect = v));
  if (runs.has('ws')) for (const n of options.wsConnections) await eachTarget(`WS echo (${n} connections)`, (t) => roundTrips(bench, t, n), (r, v) => (r.ws[n] = v));
  if (runs.has('http')) await eachTarget(`HTTP (${options.httpConnections} connections)`, (t) => httpRequests(bench, t), (r, v) => (r.http = v));
  for (const target of targets) results[target.name].proxied = await proxiedCheck(bench, target, results[target.name]);

  for (const step of cleanups.splice(0).reverse()) await step();
  const profileDir = targets.find((t) => t.profileDir)?.profileDir;
  const meta = {
    date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', memGiB: Math.round(totalmem() / 2 ** 30),
    kernel: `Linux ${release()}`, loadStart, loadEnd: loadavg().map((l) => l.toFixed(2)).join(' '), nofile, idleTunnels, idleNote,
    versions: { haproxy: version('haproxy', ['-v']), nginx: version('nginx', ['-v']) }, targets: described, options,
  };
  const output = Object.fromEntries(targets.filter((t) => t.child).map((t) => [t.name, t.child?.output.slice(-20)]));
  const run = { meta, results, output, agentCpuProfile: profileDir ? topSelfFrames(profileDir) : undefined };
  const report = markdownReport(run);
  process.stdout.write(`\n${report}`);
  await mkdir(options.resultsDir, { recursive: true });
  await writeFile(join(options.resultsDir, 'latest.md'), report);
  await writeFile(join(options.resultsDir, 'latest.json'), `${JSON.stringify(run, null, 2)}\n`);
  log(`written to ${options.resultsDir}/latest.md and latest.json`);
  const failed = Object.entries(results).filter(([, r]) => !r.proxied.ok);
  if (failed.length) {
    log(`proxied check failed for ${failed.map(([t]) => t).join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  await cleanup();
}

/** First line `<command> <args>` prints (stdout, else stderr), or null when it cannot run. @param {string} command @param {string[]} args */
function version(command, args) {
  const { stdout, stderr, error } = spawnSync(command, args, { encoding: 'utf8' });
  if (error) return null;
  return `${stdout}${stderr}`.split('\n')[0] || null;
}
