import type { Socket } from 'node:net';

/** Bytes that tell a 101 from any other answer: `HTTP/1.1 101` and the space or CR after it. */
const STATUS_BYTES = 13;
const SWITCHING = /^HTTP\/1\.[01] 101[ \r]$/;

/**
 * Reads the status of a member's answer to an upgrade request alongside the socket's other
 * readers (the bytes still reach the client unchanged) and calls `onAnswer` once: true for
 * `101 Switching Protocols`, false for anything else (a refusal such as 403 or 426, or not
 * HTTP at all). Nothing is called when the member closes within its first 13 bytes. Only the
 * first chunk or two are looked at; the listener is removed once decided.
 *
 * Why: only a 101 turns the connection into a tunnel. Tunnelling regardless let a client send
 * further requests, unrouted, to a member that had answered with a plain response — Apache's
 * CVE-2019-17567 (mod_proxy_wstunnel, fixed in 2.4.47 by waiting for the 101, as HAProxy and
 * NGINX do).
 */
export function whenAnswered(upstream: Socket, onAnswer: (switched: boolean) => void): void {
  let seen: Buffer | undefined;
  const onData = (chunk: Buffer): void => {
    seen = seen ? Buffer.concat([seen, chunk]) : chunk;
    if (seen.length < STATUS_BYTES) return;
    upstream.off('data', onData);
    onAnswer(SWITCHING.test(seen.toString('latin1', 0, STATUS_BYTES)));
  };
  upstream.on('data', onData);
}
