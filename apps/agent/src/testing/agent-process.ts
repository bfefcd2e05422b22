import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(__dirname, '../../../..');

/** A JSON log line of the agent. */
export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/**
 * Builds the agent exactly as `nx run agent:build` does, into a temporary directory under dist/
 * (where node_modules resolves). Returns the path of main.js and a cleanup function.
 */
export async function buildAgent(): Promise<{ mainJs: string; cleanup: () => Promise<void> }> {
  await mkdir(join(root, 'dist'), { recursive: true });
  const outDir = await mkdtemp(join(root, 'dist', 'agent-test-'));
  const config = join(root, 'apps/agent/tsconfig.app.json');
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', config, '--outDir', outDir], { cwd: root });
  execFileSync(join(root, 'node_modules/.bin/tsc-alias'), ['-p', config, '--outDir', outDir], { cwd: root });
  return { mainJs: join(outDir, 'apps/agent/src/main.js'), cleanup: () => rm(outDir, { recursive: true, force: true }) };
}

/** Runs the built agent with only PATH and `env` as its environment; its stdout JSON lines are collected. */
export function runAgent(mainJs: string, env: Record<string, string>): { child: ChildProcessWithoutNullStreams; lines: LogLine[] } {
  const child = spawn(process.execPath, [mainJs], { env: { PATH: process.env['PATH'] ?? '', ...env } });
  const lines: LogLine[] = [];
  child.stderr.pipe(process.stderr);
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(JSON.parse(line) as LogLine));
  return { child, lines };
}
