import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { tempCacheDir } from './agent-harness';
import { waitFor } from './wait';

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

/** A built agent process started by startAgentProcess: its process, log lines and the first listening line. */
export interface AgentProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: LogLine[];
  /** The `listening` log line (port, workers, …). */
  readonly listening: LogLine;
  /** Port of the plain proxy listener (127.0.0.1). */
  readonly port: number;
}

/**
 * Runs the built agent against the control plane at `controlUrl` with a test token, both
 * listeners on 127.0.0.1 ephemeral ports and a fresh cache directory, plus `env` (which wins);
 * resolves once it logs `listening`. Throws when that line does not come within `timeoutMs`.
 */
export async function startAgentProcess(mainJs: string, controlUrl: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<AgentProcess> {
  const agent = runAgent(mainJs, {
    SWITCHBOARD_CONTROL_URL: controlUrl,
    SWITCHBOARD_AGENT_TOKEN: 'agent-token',
    SWITCHBOARD_LISTEN: '127.0.0.1:0',
    SWITCHBOARD_ADMIN_LISTEN: '127.0.0.1:0',
    SWITCHBOARD_CACHE_DIR: await tempCacheDir(),
    ...env,
  });
  const listening = await waitFor(() => agent.lines.find((line) => line.msg === 'listening'), 'the agent to log listening', timeoutMs);
  return { ...agent, listening, port: listening['port'] as number };
}
