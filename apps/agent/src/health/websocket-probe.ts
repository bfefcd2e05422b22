import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { CHECK_USER_AGENT, CheckRun } from './check-run';
import type { CheckSpec } from './check-run';

/** The GUID of RFC 6455 section 1.3, appended to the key to compute Sec-WebSocket-Accept. */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The Sec-WebSocket-Accept a server must answer to a Sec-WebSocket-Key (RFC 6455 section 4.2.2). */
export function websocketAccept(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/** A close frame with status 1000 (normal closure), masked as every client frame must be (RFC 6455 sections 5.3, 5.5.1). */
function maskedCloseFrame(): Buffer {
  const [m0, m1, m2, m3] = randomBytes(4);
  // FIN + opcode 8 (close), MASK + payload length 2, the masking key, then 1000 (0x03e8) masked.
  return Buffer.from([0x88, 0x82, m0!, m1!, m2!, m3!, 0x03 ^ m0!, 0xe8 ^ m1!]);
}

/**
 * Ends an upgraded check connection as a client should (RFC 6455 section 7.1): close frame
 * 1000, then our FIN; whatever the member sends back (its close frame) is read and dropped, and
 * the socket is destroyed if the member has not closed it within `timeoutMs`.
 */
function closeCleanly(socket: Duplex, timeoutMs: number): void {
  const timer = setTimeout(() => socket.destroy(), timeoutMs).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.resume();
  socket.end(maskedCloseFrame());
}

/**
 * `websocket`: a real upgrade on `path` (random Sec-WebSocket-Key, version 13), healthy on
 * `101` with the right Sec-WebSocket-Accept and `Upgrade: websocket`; the connection is then
 * closed cleanly with close 1000 (see closeCleanly). Any other answer fails as
 * `websocket check: no 101 (status 404)`. HAProxy's `tcp-check` can script such an exchange;
 * Apache's mod_proxy_hcheck has no WebSocket method.
 */
export function websocketCheck(spec: CheckSpec): CheckRun {
  const run = new CheckRun('websocket', spec.timeoutMs);
  const key = randomBytes(16).toString('base64');
  const req = request({
    createConnection: () => run.connect(spec.target),
    method: 'GET',
    path: spec.path,
    headers: {
      host: spec.host,
      'user-agent': CHECK_USER_AGENT,
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': key,
      'sec-websocket-version': '13',
    },
  });
  req.on('error', (error) => run.failWith(error));
  req.once('response', (res) => run.fail(`websocket check: no 101 (status ${res.statusCode ?? 'none'})`));
  req.once('upgrade', (res, socket: Socket) => {
    if (res.headers.upgrade?.toLowerCase() !== 'websocket') return run.fail('websocket check: 101 without Upgrade: websocket');
    if (res.headers['sec-websocket-accept'] !== websocketAccept(key)) return run.fail('websocket check: wrong Sec-WebSocket-Accept');
    run.handOver();
    closeCleanly(socket, spec.timeoutMs);
    run.pass();
  });
  req.end();
  return run;
}
