// @ts-check
/**
 * Request/answer over a child's IPC channel: the parent sends `{id, cmd, args}`, the child
 * answers `{id, result}` or `{id, error}` (a message). The child also sends `{type:'ready', ...}`
 * once, when it serves.
 */

/**
 * Parent side: a caller for one child started with an IPC channel.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} name  used in error messages
 */
export function rpcClient(child, name) {
  let next = 0;
  /** @type {Map<number, { resolve: (value: any) => void, reject: (error: Error) => void }>} */
  const waiting = new Map();
  /** @type {Promise<Record<string, unknown>>} */
  const ready = new Promise((resolve, reject) => {
    child.on('message', (/** @type {any} */ message) => {
      if (message?.type === 'ready') return resolve(message);
      const call = waiting.get(message?.id);
      if (!call) return;
      waiting.delete(message.id);
      if (message.error) call.reject(new Error(`${name}: ${message.error}`));
      else call.resolve(message.result);
    });
    child.once('exit', (code, signal) => {
      const error = new Error(`${name} exited (${signal ?? code})`);
      reject(error);
      for (const call of waiting.values()) call.reject(error);
      waiting.clear();
    });
  });
  return {
    /** Resolves with the child's ready message; rejects if it exits first. */
    ready: () => ready,
    /**
     * Calls `cmd` in the child; resolves with its result.
     * @param {string} cmd
     * @param {unknown} [args]
     * @returns {Promise<any>}
     */
    call(cmd, args) {
      next += 1;
      const id = next;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, cmd, args });
      });
    },
  };
}

/**
 * Child side: answers each `{id, cmd, args}` with `handlers[cmd](args)`, and exits when the
 * parent goes away.
 * @param {Record<string, (args: any) => unknown>} handlers
 */
export function serveRpc(handlers) {
  process.on('message', async (/** @type {{ id: number, cmd: string, args: unknown }} */ message) => {
    const handler = handlers[message.cmd];
    try {
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      process.send?.({ id: message.id, result: await handler(message.args) });
    } catch (error) {
      process.send?.({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
}
