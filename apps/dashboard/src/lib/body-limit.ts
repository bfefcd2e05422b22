// Request bodies the dashboard reads are capped, so one client cannot make it buffer
// without bound (as NGINX `client_max_body_size`, which answers 413).

/** Cap on a body forwarded to the control plane: 1 MiB (the control plane's own JSON limit is 100 KiB). */
export const MAX_FORWARDED_BODY_BYTES = 1024 * 1024;

/**
 * After refusing a body, up to this much more of it is read and thrown away, so the client,
 * still sending, gets to read the 413 instead of a connection reset (NGINX `lingering_close`).
 * Beyond it the connection is cut.
 */
export const DISCARD_AFTER_REFUSAL_BYTES = 32 * 1024 * 1024;

/** A body read with a cap: its bytes, or `tooLarge` when it exceeded the cap. */
export type LimitedBody = { tooLarge: false; bytes: Uint8Array<ArrayBuffer> } | { tooLarge: true };

/**
 * Reads `request`'s body up to `maxBytes`. A `Content-Length` above the cap is refused before
 * any byte is kept; a body without one (chunked) is read until it passes the cap. A refused
 * body goes on being read and discarded in the background (up to
 * `DISCARD_AFTER_REFUSAL_BYTES`), nothing of it kept. Throws what the body stream throws
 * (client gone).
 */
export async function readBodyUpTo(request: Request, maxBytes: number): Promise<LimitedBody> {
  if (!request.body) return { tooLarge: false, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    void discardRest(reader, DISCARD_AFTER_REFUSAL_BYTES);
    return { tooLarge: true };
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      void discardRest(reader, DISCARD_AFTER_REFUSAL_BYTES);
      return { tooLarge: true };
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return { tooLarge: false, bytes };
}

/** Reads and drops the rest of a body; cancels the stream (cutting the connection) after `maxBytes`. Never throws. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<void> {
  let discarded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
      if (discarded > maxBytes) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // the client went away: nothing left to discard
  }
}
