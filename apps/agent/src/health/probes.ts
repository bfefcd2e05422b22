import { request } from 'node:http';
import { CHECK_USER_AGENT, CheckRun } from './check-run';
import type { CheckSpec } from './check-run';
import { websocketCheck } from './websocket-probe';

/** `tcp`: healthy once the connection opens (after the TLS handshake for https/wss members), as HAProxy's plain `check`. */
export function tcpCheck(spec: CheckSpec): CheckRun {
  const run = new CheckRun('tcp', spec.timeoutMs);
  const socket = run.connect(spec.target);
  socket.once(spec.target.secure ? 'secureConnect' : 'connect', () => run.pass());
  return run;
}

/**
 * `http`: `GET <path>` with the check's Host and `Connection: close`, healthy when the status
 * is `expectStatus` (Apache's hcmethod=GET with hcexpr on the status, HAProxy's `option
 * httpchk` + `http-check expect status`); the body is not read.
 */
export function httpCheck(spec: CheckSpec): CheckRun {
  const run = new CheckRun('http', spec.timeoutMs);
  const req = request({
    createConnection: () => run.connect(spec.target),
    method: 'GET',
    path: spec.path,
    headers: { host: spec.host, 'user-agent': CHECK_USER_AGENT, connection: 'close' },
  });
  req.on('error', (error) => run.failWith(error));
  req.once('response', (res) => {
    if (res.statusCode === spec.expectStatus) run.pass();
    else run.fail(`http check: status ${res.statusCode ?? 'none'}`);
  });
  req.end();
  return run;
}

/** Starts one check of the spec's type. */
export function startCheck(spec: CheckSpec): CheckRun {
  switch (spec.type) {
    case 'tcp':
      return tcpCheck(spec);
    case 'http':
      return httpCheck(spec);
    case 'websocket':
      return websocketCheck(spec);
  }
}
