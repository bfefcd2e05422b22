// @ts-check
import { URL, fileURLToPath } from 'node:url';
import { startChild } from './processes.mjs';
import { rpcClient } from './rpc.mjs';

const BACKEND = fileURLToPath(new URL('../backend.mjs', import.meta.url));
const GENERATOR = fileURLToPath(new URL('../generator.mjs', import.meta.url));

/**
 * A Node child of the bench with its IPC caller.
 * @typedef {{ child: import('./processes.mjs').Child, rpc: ReturnType<typeof rpcClient> }} NodeChild
 */

/**
 * @param {string} name
 * @param {string} file
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ node: NodeChild, ready: Record<string, unknown> }>}
 */
async function startNodeChild(name, file, env) {
  const child = startChild(name, process.execPath, [file], { env, ipc: true });
  const rpc = rpcClient(child.process, name);
  try {
    return { node: { child, rpc }, ready: await rpc.ready() };
  } catch (error) {
    throw new Error(`${String(error)}\n${child.output.join('\n')}`);
  }
}

/**
 * Starts the two members (backend.mjs) m1 and m2, each with one port per target.
 * @param {string[]} targets
 * @returns {Promise<(NodeChild & import('../targets/target.mjs').BackendInfo)[]>}
 */
export async function startBackends(targets) {
  return Promise.all(
    ['m1', 'm2'].map(async (name) => {
      const { node, ready } = await startNodeChild(name, BACKEND, { NAME: name, TARGETS: targets.join(',') });
      return { ...node, name, pid: node.child.pid, ports: /** @type {Record<string, number>} */ (ready.ports) };
    }),
  );
}

/**
 * Starts `count` load-generator processes (generator.mjs).
 * @param {number} count
 * @returns {Promise<NodeChild[]>}
 */
export async function startGenerators(count) {
  const generators = await Promise.all(Array.from({ length: count }, (_, i) => startNodeChild(`generator-${i + 1}`, GENERATOR, {})));
  return generators.map((g) => g.node);
}

/**
 * Calls `cmd` on every generator at once, with `total` split as evenly as possible between
 * them (`args(share, offset)`: offset is the index of a generator's first connection).
 * @template T
 * @param {NodeChild[]} generators
 * @param {string} cmd
 * @param {number} total
 * @param {(share: number, offset: number) => unknown} args
 * @returns {Promise<T[]>}
 */
export function onEvery(generators, cmd, total, args) {
  let offset = 0;
  return Promise.all(
    generators.map((g, i) => {
      const share = Math.floor(total / generators.length) + (i < total % generators.length ? 1 : 0);
      const call = g.rpc.call(cmd, args(share, offset));
      offset += share;
      return call;
    }),
  );
}
