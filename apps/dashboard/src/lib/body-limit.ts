// Request bodies the dashboard reads are capped, so one client cannot make it buffer
// without bound (as NGINX `client_max_body_size`, which answers 413).

/** Cap on a body forwarded to the control plane: 1 MiB (the control plane's own JSON limit is 100 KiB). */
export const MAX_FORWARDED_BODY_BYTES = 1024 * 1024;

/** A body read with a cap: its bytes, or `tooLarge` when it exceeded the cap (reading stopped there). */
export type LimitedBody = { tooLarge: false; bytes: Uint8Array<ArrayBuffer> } | { tooLarge: true };

/**
 * Reads `request`'s body up to `maxBytes`. A `Content-Length` above the cap is refused before
 * any byte is read; a body without one (chunked) is read until it passes the cap, then the
 * stream is cancelled. Throws what the body stream throws (client gone).
 */
export async function readBodyUpTo(request: Request, maxBytes: number): Promise<LimitedBody> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) return { tooLarge: true };
  if (!request.body) return { tooLarge: false, bytes: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
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
