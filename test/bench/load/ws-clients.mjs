// @ts-check
import { WebSocket } from 'ws';

/**
 * How a generator reaches one target: its WebSocket URLs and HTTP addresses (one for a proxy,
 * one per member for `direct`); connections take them in turn.
 * @typedef {{ wsUrls: string[], http: { host: string, port: number }[] }} Endpoint
 */

/**
 * A zero masking key: `ws` then skips the XOR of every payload (see its Sender), which saves the
 * generator CPU. Proxies do not look at frames; the backends unmask with zeros just the same.
 * @param {Buffer} mask
 */
const zeroMask = (mask) => mask.fill(0);

/**
 * The client options of every bench WebSocket: no compression, no UTF-8 checks, zero mask.
 * No local address: binding one before connecting makes the kernel pick the source port
 * without knowing the destination, which crawls (and burns the generator's CPU in the kernel)
 * once tens of thousands of TIME_WAIT sockets exist; connect() alone picks a port per
 * destination and reuses TIME_WAIT ones on loopback (net.ipv4.tcp_tw_reuse = 2, the default).
 * @type {import('ws').ClientOptions}
 */
export const CLIENT_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true, generateMask: zeroMask, handshakeTimeout: 30_000 };

/**
 * Opens `count` WebSockets to the endpoint's URLs in turn, at most `concurrency` handshakes at
 * a time. Resolves once each one opened or failed, with the open ones and the failures
 * (`errors`, the first message in `firstError`). Never rejects.
 * @param {Endpoint} endpoint
 * @param {number} count
 * @param {{ concurrency?: number, offset?: number }} [options]  offset: index of the first connection (spreads URLs across generators)
 * @returns {Promise<{ sockets: WebSocket[], errors: number, firstError: string | undefined }>}
 */
export function openMany(endpoint, count, { concurrency = 200, offset = 0 } = {}) {
  /** @type {WebSocket[]} */
  const sockets = [];
  let started = 0;
  let settled = 0;
  let errors = 0;
  /** @type {string | undefined} */
  let firstError;
  return new Promise((resolve) => {
    if (count === 0) return resolve({ sockets, errors, firstError });
    const startOne = () => {
      const index = offset + started;
      started += 1;
      const ws = new WebSocket(endpoint.wsUrls[index % endpoint.wsUrls.length], CLIENT_OPTIONS);
      let counted = false;
      const done = () => {
        if (counted) return;
        counted = true;
        settled += 1;
        if (started < count) startOne();
        else if (settled === count) resolve({ sockets, errors, firstError });
      };
      ws.once('open', () => {
        sockets.push(ws);
        done();
      });
      // Kept for the socket's life: a later error (a proxy cutting it) must not throw.
      ws.on('error', (error) => {
        if (counted) return;
        errors += 1;
        firstError ??= error.message;
        done();
      });
    };
    for (let i = 0; i < Math.min(concurrency, count); i += 1) startOne();
  });
}

/**
 * Cuts every socket (no close handshake) and resolves once all are closed.
 * @param {WebSocket[]} sockets
 */
export async function terminateAll(sockets) {
  await Promise.all(
    sockets.map((ws) => {
      if (ws.readyState === WebSocket.CLOSED) return undefined;
      const closed = new Promise((resolve) => ws.once('close', resolve));
      ws.terminate();
      return closed;
    }),
  );
}
