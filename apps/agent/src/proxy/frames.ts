import { randomBytes } from 'node:crypto';

/** Reading the member's HTTP response head (member → client direction only). */
const HEAD = 0;
/** Reading a frame header (2–14 bytes). */
const HEADER = 1;
/** Skipping a frame's payload. */
const PAYLOAD = 2;
/** Not WebSocket frames (a refused upgrade, or another protocol): nothing is tracked. */
const RAW = 3;

const CR = 13;
const LF = 10;
const SPACE = 32;
const DIGIT_0 = 48;
const DIGIT_1 = 49;
const DIGIT_9 = 57;
/** `HTTP/1.` opens a status line; `HTTP/1.x 101 ` or `HTTP/1.x 101\r` are its first 13 bytes. */
const STATUS_PREFIX = Buffer.from('HTTP/1.');
const STATUS_BYTES = 13;
const OPCODE_CLOSE = 0x8;
/** Longest frame header: 2 bytes, a 64-bit length and a masking key. */
const MAX_HEADER = 14;

/**
 * Follows the frame boundaries of one direction of a WebSocket tunnel (RFC 6455 §5.2) without
 * copying or allocating: only frame headers are read (FIN/opcode, MASK, 7/16/64-bit payload
 * length, masking key), payloads are skipped by count, and a header split across chunks is
 * carried over in a few numeric fields. Masked (client → member) and unmasked (member → client)
 * frames alike: the MASK bit of each header says whether a masking key follows.
 *
 * The member → client tracker first reads the member's HTTP response head: a 101 starts the
 * frames, anything else is plain HTTP and nothing more is tracked; `onHead` hears which, once
 * the head has passed. Only a status line `HTTP/1.0|1.1 101` counts as a 101 (not even HTTP is
 * a refusal).
 * Frames are not validated (the endpoints do that); a 64-bit length above 2^53 loses precision,
 * which no endpoint accepts anyway (ws caps at 100 MiB by default).
 */
export class FrameTracker {
  private phase: number;
  /** HEAD: bytes read, how much of `\r\n\r\n` was just matched, the status code being read, and whether the status line is well formed so far. */
  private headRead = 0;
  private crlfMatched = 0;
  private status = 0;
  private statusLine = true;
  /** HEADER: bytes of the current header read so far and its full length once byte 1 is known. */
  private headerRead = 0;
  private headerLength = 2;
  /** HEADER: where the extended payload length ends (2, 4 or 10). */
  private lengthEnd = 2;
  private opcode = 0;
  /** HEADER: the payload length being read; PAYLOAD: payload bytes still to skip. */
  private remaining = 0;
  /** Close frames (opcode 8) seen whole so far. */
  closeFrames = 0;

  /**
   * `responseHead`: the stream starts with the member's HTTP response head (member → client);
   * frames follow a 101 (only WebSocket upgrades are tunnelled), nothing is tracked after any
   * other answer. `onHead` is called once the head has passed: true for a 101.
   */
  constructor(responseHead: boolean, private readonly onHead?: (switched: boolean) => void) {
    this.phase = responseHead ? HEAD : HEADER;
  }

  /** True between two frames (and before the first), where a control frame may be inserted (RFC 6455 §5.4). */
  get atBoundary(): boolean {
    return this.phase === HEADER && this.headerRead === 0;
  }

  /** True when frames are followed: a WebSocket past its 101 (or one without a head to read). */
  get tracking(): boolean {
    return this.phase === HEADER || this.phase === PAYLOAD;
  }

  /** Follows every byte of `chunk` from `offset`. */
  scan(chunk: Buffer, offset = 0): void {
    const end = chunk.length;
    let at = offset;
    while (at < end) at = this.next(chunk, at);
  }

  /**
   * Follows `chunk` from `offset` up to the end of the current frame (or of the response head)
   * or of the chunk, whichever comes first; returns the offset reached. After it, `atBoundary`
   * tells whether a frame ended there.
   */
  next(chunk: Buffer, offset: number): number {
    switch (this.phase) {
      case PAYLOAD:
        return this.skipPayload(chunk, offset);
      case HEADER:
        return this.readHeader(chunk, offset);
      case HEAD:
        return this.readHead(chunk, offset);
      default:
        return chunk.length;
    }
  }

  private skipPayload(chunk: Buffer, offset: number): number {
    const available = chunk.length - offset;
    if (available < this.remaining) {
      this.remaining -= available;
      return chunk.length;
    }
    const end = offset + this.remaining;
    this.endFrame();
    return end;
  }

  private readHeader(chunk: Buffer, offset: number): number {
    const end = chunk.length;
    if (this.headerRead === 0 && end - offset >= MAX_HEADER) return this.readWholeHeader(chunk, offset);
    let at = offset;
    while (at < end) {
      const byte = chunk[at++];
      const read = this.headerRead++;
      if (read === 0) {
        this.opcode = byte & 0x0f;
      } else if (read === 1) {
        const length = byte & 0x7f;
        this.lengthEnd = 2 + (length === 126 ? 2 : length === 127 ? 8 : 0);
        this.headerLength = this.lengthEnd + (byte & 0x80 ? 4 : 0);
        this.remaining = length < 126 ? length : 0;
      } else if (read < this.lengthEnd) {
        // Extended payload length, big-endian (bytes 2–3 or 2–9); the masking key after it is skipped.
        this.remaining = this.remaining * 256 + byte;
      }
      if (this.headerRead === this.headerLength) {
        if (this.remaining === 0) {
          this.endFrame();
          return at;
        }
        this.phase = PAYLOAD;
        this.headerRead = 0;
        return this.skipPayload(chunk, at);
      }
    }
    return end;
  }

  /** The common case, a header wholly inside the chunk: read at once, without the byte-by-byte state. */
  private readWholeHeader(chunk: Buffer, offset: number): number {
    const second = chunk[offset + 1];
    const code = second & 0x7f;
    let at = offset + 2;
    let length = code;
    if (code === 126) {
      length = chunk.readUInt16BE(at);
      at += 2;
    } else if (code === 127) {
      length = chunk.readUInt32BE(at) * 0x1_0000_0000 + chunk.readUInt32BE(at + 4);
      at += 8;
    }
    if (second & 0x80) at += 4;
    this.opcode = chunk[offset] & 0x0f;
    if (length === 0) {
      this.endFrame();
      return at;
    }
    this.phase = PAYLOAD;
    this.remaining = length;
    return this.skipPayload(chunk, at);
  }

  private endFrame(): void {
    if (this.opcode === OPCODE_CLOSE) this.closeFrames += 1;
    this.phase = HEADER;
    this.headerRead = 0;
    this.headerLength = 2;
    this.remaining = 0;
  }

  /** Reads the response head up to its `\r\n\r\n`, checking its status line (`HTTP/1.1 101 …`). */
  private readHead(chunk: Buffer, offset: number): number {
    const end = chunk.length;
    let at = offset;
    while (at < end) {
      const byte = chunk[at++];
      const read = this.headRead++;
      if (read < STATUS_BYTES) this.readStatusByte(read, byte);
      if (byte === (this.crlfMatched & 1 ? LF : CR)) this.crlfMatched += 1;
      else this.crlfMatched = byte === CR ? 1 : 0;
      if (this.crlfMatched === 4) {
        const switched = this.statusLine && this.headRead > STATUS_BYTES && this.status === 101;
        this.phase = switched ? HEADER : RAW;
        this.onHead?.(switched);
        return at;
      }
    }
    return end;
  }

  /** Byte `read` (0–12) of the status line: `HTTP/1.`, `0` or `1`, a space, three digits, then a space or CR. */
  private readStatusByte(read: number, byte: number): void {
    if (read >= 9 && read <= 11) {
      this.status = this.status * 10 + (byte - DIGIT_0);
      this.statusLine &&= byte >= DIGIT_0 && byte <= DIGIT_9;
    } else if (read < STATUS_PREFIX.length) this.statusLine &&= byte === STATUS_PREFIX[read];
    else if (read === 7) this.statusLine &&= byte === DIGIT_0 || byte === DIGIT_1;
    else this.statusLine &&= byte === SPACE || (read === 12 && byte === CR);
  }
}

/** WebSocket close codes the agent sends (RFC 6455 §7.4.1, IANA registry). */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_SERVICE_RESTART = 1012;
export type AgentCloseCode = typeof CLOSE_GOING_AWAY | typeof CLOSE_SERVICE_RESTART;

/** Reason text sent with each code (at most 123 bytes). */
const CLOSE_REASONS: Record<AgentCloseCode, string> = {
  [CLOSE_GOING_AWAY]: 'going away',
  [CLOSE_SERVICE_RESTART]: 'rebalancing',
};

/**
 * A close frame (FIN, opcode 8) with `code` and its reason: unmasked towards a client, masked
 * with a random key towards a member (RFC 6455 §5.3, a client's frames must be masked).
 */
export function closeFrame(code: AgentCloseCode, masked: boolean): Buffer {
  const reason = Buffer.from(CLOSE_REASONS[code]);
  const payload = Buffer.alloc(2 + reason.length);
  payload.writeUInt16BE(code, 0);
  reason.copy(payload, 2);
  const header = Buffer.from([0x80 | OPCODE_CLOSE, (masked ? 0x80 : 0) | payload.length]);
  if (!masked) return Buffer.concat([header, payload]);
  const key = randomBytes(4);
  for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3];
  return Buffer.concat([header, key, payload]);
}
