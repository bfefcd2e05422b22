// @ts-check
import { URL } from 'node:url';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * The heaviest functions by self time in the V8 CPU profiles (`--cpu-prof`) of a directory,
 * all files together: `{ percent, ms, name }` sorted by self time, `(idle)` left out of the
 * total. `name` is `function file:line` (file relative to the repository, or node's internal path).
 * @param {string} dir
 * @param {number} [top]
 */
export function topSelfFrames(dir, top = 15) {
  /** @type {Map<string, number>} */
  const selfMs = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const sampleMs = profile.samples.length ? (profile.endTime - profile.startTime) / 1000 / profile.samples.length : 0;
    for (const node of profile.nodes) {
      const frame = node.callFrame;
      if (!node.hitCount || frame.functionName === '(idle)') continue;
      const where = frame.url ? ` ${frame.url.startsWith('file://') ? relative(ROOT, new URL(frame.url).pathname) : frame.url}:${frame.lineNumber + 1}` : '';
      const name = `${frame.functionName || '(anonymous)'}${where}`;
      selfMs.set(name, (selfMs.get(name) ?? 0) + node.hitCount * sampleMs);
    }
  }
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
  return [...selfMs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ percent: Math.round((ms / total) * 1000) / 10, ms: Math.round(ms), name }));
}
