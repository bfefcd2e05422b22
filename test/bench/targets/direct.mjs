// @ts-check
/**
 * The baseline: clients connect straight to the two members (connections alternate between
 * them), so the generator and backends cost the same as behind a proxy, minus the proxy. Its
 * "memory per idle tunnel" is the backends' own RSS per WebSocket, not a tunnel's.
 * @param {import('./target.mjs').TargetContext} context
 * @returns {Promise<import('./target.mjs').Target>}
 */
export async function startDirect({ backends }) {
  return {
    name: 'direct',
    endpoint: {
      wsUrls: backends.map((b) => `ws://127.0.0.1:${b.ports.direct}/ws`),
      http: backends.map((b) => ({ host: '127.0.0.1', port: b.ports.direct })),
    },
    pids: backends.map((b) => b.pid),
    describe: 'no proxy: clients alternate between the two members',
  };
}
