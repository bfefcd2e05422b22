// @ts-check
/**
 * The Markdown report: one table (rows = metrics, columns = targets, plus agent ÷ haproxy),
 * then the setup and the proxied checks.
 */

const COLUMNS = ['direct', 'agent', 'haproxy', 'nginx'];

/**
 * A row: a label, and the figures of a target's results (one or two numbers, joined by " / ").
 * @typedef {{ label: string, values: (r: Record<string, any>, target: string) => (number | null | undefined)[], digits?: number }} Row
 */

/** µs of proxy CPU per unit of work, or null. @param {any} phase @param {number} units */
const cpuPer = (phase, units) => (phase?.cpu?.proxyMs == null || !units ? null : (phase.cpu.proxyMs * 1000) / (units * (phase.cpu.windowMs / 1000)));

/**
 * @param {import('./options.mjs').BenchOptions} options
 * @param {number} idleTunnels
 * @returns {Row[]}
 */
function rows(options, idleTunnels) {
  /** @type {Row[]} */
  const list = [];
  for (const n of options.wsConnections) {
    const at = `WS echo, ${n.toLocaleString('en')} conns × ${options.inflight} in flight`;
    list.push(
      { label: `${at}: round trips/s`, values: (r) => [r.ws?.[n]?.messagesPerSec] },
      { label: `${at}: p50 / p99 ms`, values: (r) => [r.ws?.[n]?.p50Ms, r.ws?.[n]?.p99Ms], digits: 2 },
      { label: `${at}: proxy CPU µs/round trip`, values: (r) => [cpuPer(r.ws?.[n], r.ws?.[n]?.messagesPerSec)], digits: 1 },
    );
  }
  list.push(
    { label: `Upgrades/s (${options.connectConcurrency} concurrent, connect + 101)`, values: (r) => [r.connect?.upgradesPerSec] },
    { label: 'Upgrade p50 / p99 ms', values: (r) => [r.connect?.p50Ms, r.connect?.p99Ms], digits: 2 },
    { label: 'Upgrade: proxy CPU µs/upgrade', values: (r) => [cpuPer(r.connect, r.connect?.upgradesPerSec)], digits: 0 },
    { label: `Memory per idle tunnel, KiB (${idleTunnels.toLocaleString('en')} tunnels)¹`, values: (r) => [r.idle?.bytesPerTunnel == null ? null : r.idle.bytesPerTunnel / 1024], digits: 1 },
    { label: `HTTP GET, ${options.httpConnections} keep-alive conns: requests/s`, values: (r) => [r.http?.requestsPerSec] },
    { label: 'HTTP p50 / p99 ms', values: (r) => [r.http?.p50Ms, r.http?.p99Ms], digits: 2 },
    { label: 'HTTP: proxy CPU µs/request', values: (r) => [cpuPer(r.http, r.http?.requestsPerSec)], digits: 1 },
  );
  return list;
}

/** @param {number | null | undefined} value @param {number} digits */
function format(value, digits) {
  if (value == null || Number.isNaN(value)) return '—';
  return value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/**
 * The metrics table in Markdown.
 * @param {Record<string, Record<string, any>>} results  per target
 * @param {import('./options.mjs').BenchOptions} options
 * @param {number} idleTunnels
 */
export function metricsTable(results, options, idleTunnels) {
  const lines = [`| metric | ${COLUMNS.join(' | ')} | agent ÷ haproxy |`, `| --- | ${COLUMNS.map(() => '---:').join(' | ')} | ---: |`];
  for (const row of rows(options, idleTunnels)) {
    const digits = row.digits ?? 0;
    const cells = COLUMNS.map((t) => (results[t] ? row.values(results[t], t).map((v) => format(v, digits)).join(' / ') : 'skipped'));
    const agent = results.agent ? row.values(results.agent, 'agent') : [];
    const haproxy = results.haproxy ? row.values(results.haproxy, 'haproxy') : [];
    const ratio = agent.length && haproxy.length ? agent.map((a, i) => (a == null || !haproxy[i] ? '—' : format(a / /** @type {number} */ (haproxy[i]), 2))).join(' / ') : '—';
    lines.push(`| ${row.label} | ${cells.join(' | ')} | ${ratio} |`);
  }
  return lines.join('\n');
}

/**
 * The whole report: table, footnotes, setup, CPU use and the proxied checks.
 * @param {any} run  what results/latest.json holds
 */
export function markdownReport(run) {
  const { meta, results } = run;
  const out = [`## Results — ${meta.date}`, '', metricsTable(results, meta.options, meta.idleTunnels), ''];
  out.push(
    'agent ÷ haproxy above 1 is better for rates, worse for latencies, CPU and memory.',
    '',
    `¹ RSS (VmRSS, summed over the process tree) after opening the idle WebSockets and ${meta.options.settleMs} ms of waiting, minus before, ÷ tunnels opened. For direct: the two members' own RSS per WebSocket (not a tunnel).${heapNote(results.agent?.idle)} ${meta.idleNote}`,
    '',
    `Machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memGiB} GiB, ${meta.kernel}; load average ${meta.loadStart} at start, ${meta.loadEnd} at end. ` +
      'Everything (generators, proxies, members) shares these cores, and other work may run beside the bench: compare figures within one run, as ratios.',
    `Run: warm-up ${meta.options.warmupMs} ms then ${meta.options.durationMs} ms measured per figure; ${meta.options.generators} generator processes; ${meta.options.messageBytes}-byte binary messages; ` +
      `open-files limit ${meta.nofile}.`,
    '',
    ...COLUMNS.map((t) => `- **${t}**: ${meta.targets[t] ?? 'not run'}`),
    `- versions: ${[`node ${meta.node}`, meta.versions.haproxy, meta.versions.nginx].filter(Boolean).join('; ')}`,
    '',
    '### CPU used inside the windows (ms of CPU per second of window: 1000 = one core busy)',
    '',
    `| run | ${COLUMNS.map((t) => `${t}: proxy / members / generators`).join(' | ')} |`,
    `| --- | ${COLUMNS.map(() => '---:').join(' | ')} |`,
    ...cpuRows(results, meta.options),
    '',
    '### Proxied checks',
    '',
    ...COLUMNS.filter((t) => results[t]?.proxied).map((t) => proxiedLine(t, results[t].proxied)),
  );
  if (run.agentCpuProfile) {
    out.push('', '### Agent CPU profile (--cpu-prof, whole run), top self time', '', '| % | ms | function |', '| ---: | ---: | --- |');
    out.push(...run.agentCpuProfile.map((/** @type {{ percent: number, ms: number, name: string }} */ f) => `| ${f.percent} | ${f.ms} | \`${f.name}\` |`));
  }
  return `${out.join('\n')}\n`;
}

/**
 * @param {Record<string, any>} results
 * @param {import('./options.mjs').BenchOptions} options
 */
function cpuRows(results, options) {
  /** @type {[string, (r: any) => any][]} */
  const phases = [...options.wsConnections.map((n) => /** @type {[string, (r: any) => any]} */ ([`WS echo ${n}`, (r) => r.ws?.[n]])), ['upgrades', (r) => r.connect], ['HTTP', (r) => r.http]];
  return phases.map(([label, pick]) => {
    const cells = COLUMNS.map((t) => {
      const cpu = results[t] && pick(results[t])?.cpu;
      if (!cpu) return '—';
      const perSec = (/** @type {number | null} */ v) => (v == null ? '—' : Math.round((v * 1000) / cpu.windowMs));
      return `${perSec(cpu.proxyMs)} / ${perSec(cpu.backendsMs)} / ${perSec(cpu.generatorsMs)}`;
    });
    return `| ${label} | ${cells.join(' | ')} |`;
  });
}

/** Of the agent's RSS per tunnel, how much is V8 heap. @param {any} idle */
function heapNote(idle) {
  if (idle?.heapBytesPerTunnel == null) return '';
  return ` Agent: ${format(idle.heapBytesPerTunnel / 1024, 1)} KiB of its figure is V8 heap in use (nodejs_heap_size_used_bytes, uncollected garbage included).`;
}

/** @param {string} target @param {import('./verify.mjs').ProxiedCheck} check */
function proxiedLine(target, check) {
  const members = Object.entries(check.members).map(([m, s]) => `${m}: ${s.wsAccepted} upgrades, ${s.wsMessages} messages, ${s.httpRequests} requests`).join('; ');
  const counters = check.proxyCounters ? `; agent counters ${Object.entries(check.proxyCounters).map(([m, c]) => `${m} elected ${c.elected}`).join(', ')}` : '';
  const echoes = check.problems.some((p) => p.includes('echo')) ? '' : '; every echo matched byte for byte';
  return `- ${check.ok ? '✔' : '✘'} **${target}**: ${members}${counters}${echoes}${check.problems.length ? ` — ${check.problems.join('; ')}` : ''}`;
}
