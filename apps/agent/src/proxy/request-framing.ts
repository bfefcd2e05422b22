import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

/**
 * How a request's body is delimited (RFC 9112 §6.3), as the agent forwards it:
 * - `none`: no body (neither Content-Length nor Transfer-Encoding);
 * - `length`: exactly `length` bytes: the Content-Length (digits only, llhttp checked them) in
 *   canonical decimal, leading zeros dropped (text: a number above 2^53 would not survive a round trip);
 * - `chunked`: chunked, decoded by Node's parser and chunked again towards the member, which is
 *   told `codings` (the client's Transfer-Encoding without `identity`, ending in `chunked`).
 */
export type RequestFraming =
  | { readonly body: 'none' }
  | { readonly body: 'length'; readonly length: string }
  | { readonly body: 'chunked'; readonly codings: string };

/** A request whose framing the agent refuses: answered 400 and its connection closed. */
export interface RefusedFraming {
  readonly refused: string;
}

const NO_BODY: RequestFraming = { body: 'none' };

/**
 * The framing of a request whose head Node's parser (llhttp, strict) accepted, or why it is
 * refused. llhttp already refuses Content-Length with Transfer-Encoding, several or signed
 * Content-Length values, `chunked` not last or twice, obs-fold, bare LF and NUL
 * (edge-cases/request-smuggling.test.ts pins that down); this adds what it lets through:
 * a Transfer-Encoding whose last coding is not `chunked` (empty, `xchunked`, `gzip`: llhttp
 * would read the body as unframed or fail mid-body, after a member got the head) and a
 * Transfer-Encoding in HTTP/1.0 (RFC 9112 §6.1: the framing is faulty).
 */
export function requestFraming(req: IncomingMessage): RequestFraming | RefusedFraming {
  const te = req.headers['transfer-encoding'];
  if (te !== undefined) return chunkedFraming(req, te);
  const length = req.headers['content-length'];
  return length === undefined ? NO_BODY : { body: 'length', length: length.replace(/^0+(?=\d)/, '') };
}

function chunkedFraming(req: IncomingMessage, te: string): RequestFraming | RefusedFraming {
  if (req.httpVersion === '1.0') return { refused: 'Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1)' };
  const codings = te.split(',').map((coding) => coding.trim().toLowerCase());
  if (codings.at(-1) !== 'chunked') return { refused: `Transfer-Encoding ${JSON.stringify(te)} does not end in chunked (RFC 9112 §6.3)` };
  return { body: 'chunked', codings: codings.filter((coding) => coding !== 'identity' && coding !== '').join(', ') };
}

/** True when the request carries body bytes (a Content-Length above 0, or any chunked body). */
export function hasBody(framing: RequestFraming): boolean {
  return framing.body === 'chunked' || (framing.body === 'length' && framing.length !== '0');
}

/**
 * Sets the framing headers of the member's request to the client's framing, whatever the
 * method: Node's client frames only what its headers say, and for GET, HEAD, DELETE, OPTIONS
 * and TRACE it adds no framing of its own, so a chunked body without `Transfer-Encoding` would
 * go out raw and the member would read it as the next request (issue 7: request smuggling).
 */
export function applyFraming(headers: OutgoingHttpHeaders, framing: RequestFraming): void {
  delete headers['transfer-encoding'];
  delete headers['content-length'];
  if (framing.body === 'length') headers['content-length'] = framing.length;
  else if (framing.body === 'chunked') headers['transfer-encoding'] = framing.codings;
}
