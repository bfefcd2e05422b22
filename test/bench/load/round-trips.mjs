// @ts-check
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { Histogram } from '../lib/histogram.mjs';

/**
 * @typedef {object} RoundTripResult
 * @property {number} messages     echoes received inside the measurement window
 * @property {number} windowMs     length of the window
 * @property {number[]} histogram  round-trip times in µs (Histogram counts)
 * @property {number} mismatches   echoes whose length, sequence number or bytes differ from what was sent
 * @property {number} lost         messages still unanswered 10 s after the window closed
 * @property {number} closed       sockets that closed during the run
 */

/**
 * Pipelined echo round trips on open WebSockets: each socket keeps `inflight` binary messages
 * of `messageBytes` in flight (a new one sent as each echo arrives), for `warmupMs` unmeasured
 * then `durationMs` measured. The round-trip time of a message is from its send call to its
 * echo, matched per socket in FIFO order (the echo must carry the same sequence number and
 * bytes). Once the window closes nothing more is sent, and it resolves when every message in
 * flight came back (or after 10 s).
 * @param {import('ws').WebSocket[]} sockets
 * @param {{ inflight: number, messageBytes: number, warmupMs: number, durationMs: number }} options
 * @returns {Promise<RoundTripResult>}
 */
export function runRoundTrips(sockets, { inflight, messageBytes, warmupMs, durationMs }) {
  const template = randomBytes(messageBytes);
  const histogram = new Histogram();
  const state = { sending: true, measuring: false, messages: 0, mismatches: 0, pending: 0, closed: 0 };
  for (const ws of sockets) driveSocket(ws, template, inflight, histogram, state);
  return new Promise((resolve) => {
    setTimeout(() => (state.measuring = true), warmupMs);
    setTimeout(async () => {
      state.measuring = false;
      state.sending = false;
      const deadline = Date.now() + 10_000;
      while (state.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const ws of sockets) ws.removeAllListeners('message');
      resolve({ messages: state.messages, windowMs: durationMs, histogram: histogram.toJSON(), mismatches: state.mismatches, lost: state.pending, closed: state.closed });
    }, warmupMs + durationMs);
  });
}

/**
 * @param {import('ws').WebSocket} ws
 * @param {Buffer} template
 * @param {number} inflight
 * @param {Histogram} histogram
 * @param {{ sending: boolean, measuring: boolean, messages: number, mismatches: number, pending: number, closed: number }} state
 */
function driveSocket(ws, template, inflight, histogram, state) {
  /** @type {number[]} */
  const sentAt = [];
  let nextSeq = 0;
  let expectedSeq = 0;
  const send = () => {
    const message = Buffer.from(template);
    message.writeUInt32LE(nextSeq, 0);
    nextSeq = (nextSeq + 1) >>> 0;
    sentAt.push(performance.now());
    state.pending += 1;
    ws.send(message);
  };
  ws.on('message', (/** @type {Buffer} */ data) => {
    const started = sentAt.shift();
    if (started === undefined) return void (state.mismatches += 1);
    state.pending -= 1;
    if (data.length !== template.length || data.readUInt32LE(0) !== expectedSeq || data.compare(template, 4, template.length, 4, template.length) !== 0) state.mismatches += 1;
    expectedSeq = (expectedSeq + 1) >>> 0;
    if (state.measuring) {
      state.messages += 1;
      histogram.record((performance.now() - started) * 1000);
    }
    if (state.sending) send();
  });
  ws.once('close', () => {
    state.closed += 1;
    state.pending -= sentAt.length;
    sentAt.length = 0;
  });
  for (let i = 0; i < inflight; i += 1) send();
}
