// @ts-check
import { setTimeout } from 'node:timers';
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { Histogram } from '../lib/histogram.mjs';
import { CLIENT_OPTIONS } from './ws-clients.mjs';

/**
 * @typedef {object} ConnectRateResult
 * @property {number} upgrades     handshakes completed (101 received and its accept key checked) inside the window
 * @property {number} windowMs
 * @property {number[]} histogram  handshake times in µs, TCP connect included (Histogram counts)
 * @property {number} errors       failed handshakes during the whole run
 * @property {string | undefined} firstError
 */

/**
 * Upgrade rate: `concurrency` loops, each opening a WebSocket, cutting it as soon as it is open
 * (no close handshake: the client sends FIN) and opening the next once it closed; `warmupMs`
 * unmeasured, then `durationMs` measured. Resolves when every loop has stopped.
 * @param {import('./ws-clients.mjs').Endpoint} endpoint
 * @param {{ concurrency: number, warmupMs: number, durationMs: number, offset: number }} options
 * @returns {Promise<ConnectRateResult>}
 */
export function runConnectRate(endpoint, { concurrency, warmupMs, durationMs, offset }) {
  const histogram = new Histogram();
  /** @type {{ running: boolean, measuring: boolean, upgrades: number, errors: number, firstError: string | undefined }} */
  const state = { running: true, measuring: false, upgrades: 0, errors: 0, firstError: undefined };
  let index = offset;
  let loops = concurrency;
  return new Promise((resolve) => {
    const finish = () => resolve({ upgrades: state.upgrades, windowMs: durationMs, histogram: histogram.toJSON(), errors: state.errors, firstError: state.firstError });
    const next = () => {
      if (!state.running) {
        loops -= 1;
        if (loops === 0) finish();
        return;
      }
      index += 1;
      const started = performance.now();
      const ws = new WebSocket(endpoint.wsUrls[index % endpoint.wsUrls.length], CLIENT_OPTIONS);
      ws.once('open', () => {
        if (state.measuring) {
          state.upgrades += 1;
          histogram.record((performance.now() - started) * 1000);
        }
        ws.terminate();
      });
      ws.on('error', (error) => {
        state.errors += 1;
        state.firstError ??= error.message;
      });
      ws.once('close', next);
    };
    for (let i = 0; i < concurrency; i += 1) next();
    setTimeout(() => (state.measuring = true), warmupMs);
    setTimeout(() => {
      state.measuring = false;
      state.running = false;
    }, warmupMs + durationMs);
  });
}
