// @ts-check
import { clearTimeout, setTimeout } from 'node:timers';
import { randomBytes } from 'node:crypto';
import { fetch } from 'undici';
import { WebSocket } from 'ws';
import { waitFor } from './processes.mjs';

/**
 * Waits (up to 20 s) until the target answers `GET /` with `200 m<N> ok` from a member, then
 * checks one WebSocket echo through it byte for byte (within 10 s). Throws with what went wrong.
 * @param {import('../targets/target.mjs').RunningTarget} target
 */
export async function smokeCheck(target) {
  const { host, port } = target.endpoint.http[0];
  await waitFor(async () => {
    const res = await fetch(`http://${host}:${port}/`);
    return res.status === 200 && /^m\d ok$/.test(await res.text());
  }, `${target.name} to answer GET / from a member`);
  const payload = randomBytes(32);
  const ws = new WebSocket(target.endpoint.wsUrls[0], { perMessageDeflate: false, handshakeTimeout: 10_000 });
  try {
    const echoed = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${target.name}: no WebSocket echo within 10 s`)), 10_000);
      ws.once('error', reject);
      ws.once('open', () => ws.send(payload));
      ws.once('message', (data) => {
        clearTimeout(timer);
        resolve(data);
      });
    });
    if (!payload.equals(/** @type {Buffer} */ (echoed))) throw new Error(`${target.name}: the WebSocket echo differs from what was sent`);
  } finally {
    ws.terminate();
  }
}

/**
 * @typedef {object} ProxiedCheck
 * @property {boolean} ok
 * @property {string[]} problems
 * @property {Record<string, { wsAccepted: number, wsMessages: number, httpRequests: number }>} members  what each member saw on this target's port
 * @property {Record<string, { elected: number, openTunnels: number }> | undefined} proxyCounters  the proxy's own per-member counters (agent)
 */

/**
 * Did the target really proxy, to both members? Every member saw, on this target's port,
 * WebSocket upgrades, messages and HTTP requests (each when the runs making them were part of
 * the bench); no connection failed, no echo differed from what was sent, no HTTP answer
 * was bad, both members answered HTTP (by body); and, when the proxy has its own per-member
 * counters (the agent's /metrics), each member was elected.
 * @param {import('./phases.mjs').Bench} bench
 * @param {import('../targets/target.mjs').RunningTarget} target
 * @param {Record<string, any>} results  this target's measurements
 * @returns {Promise<ProxiedCheck>}
 */
export async function proxiedCheck(bench, target, results) {
  /** @type {string[]} */
  const problems = [];
  const stats = await Promise.all(bench.backends.map((b) => b.rpc.call('stats')));
  /** @type {ProxiedCheck['members']} */
  const members = {};
  const phases = new Set(bench.options.phases);
  bench.backends.forEach((b, i) => {
    const { wsAccepted, wsMessages, httpRequests } = stats[i][target.name];
    members[b.name] = { wsAccepted, wsMessages, httpRequests };
    const upgrades = phases.has('ws') || phases.has('connect') || phases.has('idle');
    const missing = (upgrades && wsAccepted === 0) || (phases.has('ws') && wsMessages === 0) || (phases.has('http') && httpRequests === 0);
    if (missing) problems.push(`member ${b.name} saw ${wsAccepted} upgrades, ${wsMessages} messages, ${httpRequests} requests`);
  });
  const echoes = Object.values(results).filter((r) => r && 'mismatches' in r);
  const mismatches = echoes.reduce((n, r) => n + r.mismatches + r.lost, 0);
  if (mismatches > 0) problems.push(`${mismatches} echoes differed or were lost`);
  const failures = [results.idle?.errors, results.connect?.errors, results.http?.errors, ...echoes.map((r) => r.openErrors)].reduce((n, e) => n + (e ?? 0), 0);
  const firstError = [results.idle, results.connect, results.http].find((r) => r?.firstError)?.firstError;
  if (failures > 0) problems.push(`${failures} connections failed${firstError ? ` (first: ${firstError})` : ''}`);
  if (results.http) {
    if (results.http.bad > 0) problems.push(`${results.http.bad} bad HTTP answers`);
    for (const b of bench.backends) if (!results.http.byMember[b.name]) problems.push(`no HTTP answer came from ${b.name}`);
  }
  const proxyCounters = target.memberCounters ? await target.memberCounters().catch(() => undefined) : undefined;
  if (target.memberCounters) {
    if (!proxyCounters) problems.push('the proxy counters could not be read');
    else for (const b of bench.backends) if (!proxyCounters[b.name]?.elected) problems.push(`the proxy never elected ${b.name}`);
  }
  return { ok: problems.length === 0, problems, members, proxyCounters };
}
