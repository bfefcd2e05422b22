// @ts-check
// One load-generator process (the bench runs BENCH_GENERATORS of them so that the generator is
// less of a bottleneck). It holds no plan of its own: the orchestrator (run.mjs) calls, over IPC
// (lib/rpc.mjs):
//   open {endpoint, count, offset}          → {opened, errors, firstError}  keeps the WebSockets
//   roundTrips {inflight, messageBytes, warmupMs, durationMs} on those → RoundTripResult
//   closeAll                                → {closed}  cuts them
//   connectRate {endpoint, concurrency, warmupMs, durationMs, offset} → ConnectRateResult
//   http {endpoint, connections, warmupMs, durationMs, offset}        → HttpLoadResult
import { runConnectRate } from './load/connect-rate.mjs';
import { runHttpLoad } from './load/http-load.mjs';
import { runRoundTrips } from './load/round-trips.mjs';
import { openMany, terminateAll } from './load/ws-clients.mjs';
import { serveRpc } from './lib/rpc.mjs';

/** @type {import('ws').WebSocket[]} */
let held = [];

serveRpc({
  async open(/** @type {{ endpoint: import('./load/ws-clients.mjs').Endpoint, count: number, offset: number }} */ { endpoint, count, offset }) {
    const { sockets, errors, firstError } = await openMany(endpoint, count, { offset });
    held.push(...sockets);
    return { opened: sockets.length, errors, firstError };
  },
  roundTrips: (/** @type {Parameters<typeof runRoundTrips>[1]} */ options) => runRoundTrips(held, options),
  async closeAll() {
    const sockets = held;
    held = [];
    await terminateAll(sockets);
    return { closed: sockets.length };
  },
  connectRate: (/** @type {{ endpoint: import('./load/ws-clients.mjs').Endpoint } & Parameters<typeof runConnectRate>[1]} */ args) => runConnectRate(args.endpoint, args),
  http: (/** @type {{ endpoint: import('./load/ws-clients.mjs').Endpoint } & Parameters<typeof runHttpLoad>[1]} */ args) => runHttpLoad(args.endpoint, args),
});
process.send?.({ type: 'ready' });
