// @ts-check
import { Buffer } from 'node:buffer';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { Histogram } from '../lib/histogram.mjs';

/**
 * @typedef {object} HttpLoadResult
 * @property {number} requests     answered requests inside the window
 * @property {number} windowMs
 * @property {number[]} histogram  request times in µs (Histogram counts)
 * @property {number} bad          answers that were not `200` with a body `<member> ok`
 * @property {Record<string, number>} byMember  answers per member name (from the body), whole run
 * @property {number} reconnects   connections the server closed and that were opened again
 * @property {number} errors       socket errors
 * @property {string | undefined} firstError
 */

const REQUEST = Buffer.from('GET /bench HTTP/1.1\r\nHost: bench.test\r\nUser-Agent: switchboard-bench\r\n\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const BODY = /^(\S+) ok$/;

/**
 * Keep-alive HTTP/1.1 load on raw sockets (as wrk does): `connections` sockets, each with one
 * `GET /bench` in flight at a time, for `warmupMs` unmeasured then `durationMs` measured.
 * Answers are parsed (Content-Length or chunked) and checked. A socket the server closes is
 * opened again. Resolves when every socket has its last answer (or after 10 s).
 * @param {import('./ws-clients.mjs').Endpoint} endpoint
 * @param {{ connections: number, warmupMs: number, durationMs: number, offset: number }} options
 * @returns {Promise<HttpLoadResult>}
 */
export function runHttpLoad(endpoint, { connections, warmupMs, durationMs, offset }) {
  const histogram = new Histogram();
  /** @type {Omit<HttpLoadResult, 'histogram'>} */
  const result = { requests: 0, windowMs: durationMs, bad: 0, byMember: {}, reconnects: 0, errors: 0, firstError: undefined };
  const state = { running: true, measuring: false, busy: 0 };
  const onAnswer = (/** @type {number} */ status, /** @type {string} */ body, /** @type {number} */ startedAt) => {
    const member = status === 200 ? BODY.exec(body)?.[1] : undefined;
    if (member) result.byMember[member] = (result.byMember[member] ?? 0) + 1;
    else result.bad += 1;
    if (state.measuring) {
      result.requests += 1;
      histogram.record((performance.now() - startedAt) * 1000);
    }
  };
  for (let i = 0; i < connections; i += 1) {
    const index = offset + i;
    keepAliveLoop(endpoint.http[index % endpoint.http.length], state, result, onAnswer);
  }
  return new Promise((resolve) => {
    setTimeout(() => (state.measuring = true), warmupMs);
    setTimeout(async () => {
      state.measuring = false;
      state.running = false;
      const deadline = Date.now() + 10_000;
      while (state.busy > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      resolve({ ...result, histogram: histogram.toJSON() });
    }, warmupMs + durationMs);
  });
}

/**
 * One socket's request loop; reconnects while running when the server closes it.
 * @param {{ host: string, port: number }} address
 * @param {{ running: boolean, busy: number }} state
 * @param {{ reconnects: number, errors: number, firstError: string | undefined }} result
 * @param {(status: number, body: string, startedAt: number) => void} onAnswer
 */
function keepAliveLoop(address, state, result, onAnswer) {
  const socket = connect({ host: address.host, port: address.port, noDelay: true });
  let buffered = Buffer.alloc(0);
  let startedAt = 0;
  let waiting = false;
  const send = () => {
    waiting = true;
    state.busy += 1;
    startedAt = performance.now();
    socket.write(REQUEST);
  };
  socket.once('connect', send);
  socket.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    const answer = parseAnswer(buffered);
    if (!answer) return;
    buffered = buffered.subarray(answer.length);
    waiting = false;
    state.busy -= 1;
    onAnswer(answer.status, answer.body, startedAt);
    if (state.running) send();
    else socket.end();
  });
  socket.on('error', (error) => {
    result.errors += 1;
    result.firstError ??= error.message;
  });
  socket.once('close', () => {
    if (waiting) state.busy -= 1;
    if (!state.running) return;
    result.reconnects += 1;
    setTimeout(() => keepAliveLoop(address, state, result, onAnswer), waiting ? 100 : 0);
  });
}

/**
 * Parses one HTTP/1.1 answer at the start of `data`: its status, body (latin1) and total length
 * in bytes, or undefined while incomplete. Handles Content-Length and chunked bodies.
 * @param {Buffer} data
 * @returns {{ status: number, body: string, length: number } | undefined}
 */
export function parseAnswer(data) {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd < 0) return undefined;
  const head = data.toString('latin1', 0, headEnd);
  const status = Number(head.slice(9, 12));
  const bodyStart = headEnd + 4;
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) return parseChunked(data, status, bodyStart);
  const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
  if (data.length < bodyStart + length) return undefined;
  return { status, body: data.toString('latin1', bodyStart, bodyStart + length), length: bodyStart + length };
}

/**
 * @param {Buffer} data
 * @param {number} status
 * @param {number} offset
 */
function parseChunked(data, status, offset) {
  let body = '';
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) return undefined;
    const size = parseInt(data.toString('latin1', offset, lineEnd), 16);
    if (size === 0) {
      const end = data.indexOf(HEAD_END, lineEnd);
      return end < 0 ? undefined : { status, body, length: end + 4 };
    }
    if (data.length < lineEnd + 2 + size + 2) return undefined;
    body += data.toString('latin1', lineEnd + 2, lineEnd + 2 + size);
    offset = lineEnd + 2 + size + 2;
  }
}
