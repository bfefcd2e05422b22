import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';

/** Repository root, where the built apps live under dist/. */
export const ROOT = resolve(__dirname, '../..');

/** A child process started by a test, with its captured output. */
export interface Proc {
  name: string;
  child: ChildProcess;
  output: string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL at once, as a crash. */
  kill(): Promise<void>;
}

/** Our processes print a JSON line with `"msg":"listening"` once they serve. */
const isListening = (line: string) => line.includes('"msg":"listening"');

/**
 * Spawns `node <args>` from the repository root and waits for the first output line for which
 * `ready` holds (default: our JSON `listening` line), returned parsed when it is JSON. Rejects
 * with the process output when it exits first or takes longer than `timeoutMs`.
 */
export function startNode(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  { ready = isListening, timeoutMs = 60_000 }: { ready?: (line: string) => boolean; timeoutMs?: number } = {},
): Promise<{ proc: Proc; ready: Record<string, unknown> }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (graceMs = 5000) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const proc: Proc = { name, child, output, stop, kill };
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${timeoutMs} ms:\n${output.join('\n')}`)), timeoutMs);
    const onLine = (line: string) => {
      output.push(line);
      if (process.env.SWITCHBOARD_TEST_VERBOSE) process.stdout.write(`[${name}] ${line}\n`);
      if (!ready(line)) return;
      clearTimeout(timer);
      resolveReady({ proc, ready: line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : {} });
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${output.join('\n')}`));
    });
  });
}

/** Polls `check` every 50 ms until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
