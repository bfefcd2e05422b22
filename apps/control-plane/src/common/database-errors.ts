/**
 * Recognises errors that mean "the database cannot be used right now" (Postgres stopped,
 * unreachable, restarting, out of connections, or too slow), as opposed to a bad request or a
 * bug. The global ProblemFilter and the agent channel's upgrade answer those with 503 and
 * `Retry-After` (issue 7 item 9) instead of 500, a hang, or a misleading 401.
 *
 * The same outage reaches us in several shapes, all handled here once:
 * - Prisma errors with a code: P1001 (can't reach the server), P1002 (reached but timed out),
 *   P1008 (operation timed out), P1017 (server closed the connection), P2024 (timed out waiting
 *   for a pooled connection), P2028 (interactive transaction could not start in `maxWait` or
 *   expired after `timeout`).
 * - `meta.driverAdapterError.cause` from @prisma/adapter-pg: `kind` DatabaseNotReachable,
 *   ConnectionClosed, SocketTimeout, TooManyConnections, or a Postgres SQLSTATE `code`: class 08
 *   (connection exception), 57P01/57P02/57P03 (admin or crash shutdown, cannot connect now),
 *   53300 (too many connections), 57014 (statement timeout), 55P03 (lock timeout),
 *   25P03 (idle-in-transaction timeout).
 * - Errors straight from `pg` or the socket (no Prisma wrapper): errno codes such as
 *   ECONNREFUSED or ECONNRESET, and pg's messages "Connection terminated …" (also "due to
 *   connection timeout"), "timeout exceeded when trying to connect", "Query read timeout".
 */

const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03', '25P03']);
const ERRNO_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error)/i;

/** Seconds a client is asked to wait before retrying after a 503 (the `Retry-After` header). */
export const RETRY_AFTER_SECONDS = 5;

/** True when `error` (or anything in its `cause` chain) says the database is unavailable now. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const item of causes(error)) {
    const code = typeof item.code === 'string' ? item.code : undefined;
    if (code && (PRISMA_CODES.has(code) || SQLSTATES.has(code) || code.startsWith('08') || ERRNO_CODES.has(code))) return true;
    if (typeof item.kind === 'string' && ADAPTER_KINDS.has(item.kind)) return true;
    if (typeof item.message === 'string' && PG_MESSAGES.test(item.message)) return true;
  }
  return false;
}

type Inspectable = { code?: unknown; kind?: unknown; message?: unknown; cause?: unknown; meta?: { driverAdapterError?: unknown } };

/** `error`, its `cause`s and Prisma's `meta.driverAdapterError` (and its cause), breadth-first, at most 10. */
function causes(error: unknown): Inspectable[] {
  const found: Inspectable[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && found.length < 10) {
    const item = queue.shift();
    if (typeof item !== 'object' || item === null) continue;
    const inspectable = item as Inspectable;
    found.push(inspectable);
    queue.push(inspectable.cause, inspectable.meta?.driverAdapterError);
  }
  return found;
}
