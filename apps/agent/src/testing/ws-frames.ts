import { createHash, randomBytes } from 'node:crypto';

/** The sample key of RFC 6455 §1.3, and the Sec-WebSocket-Accept that answers it. */
const SAMPLE_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** A complete WebSocket upgrade request head for `path`, as a client writes it (Host `x`, the RFC's sample key). */
export function upgradeRequest(path = '/'): string {
  return `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${SAMPLE_KEY}\r\n\r\n`;
}

/** The 101 a member answers to an upgrade request head (its Sec-WebSocket-Key accepted as RFC 6455 §4.2.2 says). */
export function switchingProtocols(requestHead: string): string {
  const key = /^sec-websocket-key:\s*(\S+)\s*$/im.exec(requestHead)?.[1] ?? SAMPLE_KEY;
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`;
}

/** The Sec-WebSocket-Accept answering a Sec-WebSocket-Key (RFC 6455 §4.2.2). */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
}

/** Opcodes used by the tests (RFC 6455 §5.2). */
export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8 } as const;

const FIXED_MASK = Buffer.from([1, 2, 3, 4]);

/**
 * One final WebSocket frame (see wsFrame): masked as a client must send it when `masked`
 * (fixed mask 1 2 3 4, so the bytes are the same every run), unmasked as a server sends it.
 */
export function frame(opcode: number, payload: Buffer | string, masked: boolean): Buffer {
  return wsFrame({ opcode, payload: typeof payload === 'string' ? Buffer.from(payload) : payload, masked, maskKey: FIXED_MASK });
}

/** A close frame carrying `code` (any 16-bit value, valid or not) and `reason`. */
export function closeFrame(code: number, reason: string, masked: boolean): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return frame(OPCODE.close, payload, masked);
}

/**
 * What wsFrame builds: opcode (1 text, 2 binary, 0 continuation, 8 close, 9 ping, 10 pong), FIN
 * (default true), masked or not, with `maskKey` (4 bytes) or a random key.
 */
export interface FrameSpec {
  readonly opcode: number;
  readonly payload: Buffer;
  readonly fin?: boolean;
  readonly masked?: boolean;
  readonly maskKey?: Buffer;
}

/** One WebSocket frame as RFC 6455 §5.2 lays it out (7, 16 or 64-bit length; payload masked when asked). */
export function wsFrame({ opcode, payload, fin = true, masked = false, maskKey }: FrameSpec): Buffer {
  const extended = payload.length < 126 ? 0 : payload.length < 65_536 ? 2 : 8;
  const header = Buffer.alloc(2 + extended + (masked ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | opcode;
  header[1] = (masked ? 0x80 : 0) | (extended === 0 ? payload.length : extended === 2 ? 126 : 127);
  if (extended === 2) header.writeUInt16BE(payload.length, 2);
  if (extended === 8) header.writeBigUInt64BE(BigInt(payload.length), 2);
  if (!masked) return Buffer.concat([header, payload]);
  const key = maskKey ?? randomBytes(4);
  key.copy(header, 2 + extended);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3]!;
  return Buffer.concat([header, body]);
}

/** A frame as parsed back by parseFrames (payload unmasked). */
export interface ParsedFrame {
  readonly fin: boolean;
  readonly opcode: number;
  readonly payload: Buffer;
}

/** Parses whole frames off `bytes` (a trailing partial frame is ignored). */
export function parseFrames(bytes: Buffer): ParsedFrame[] {
  const frames: ParsedFrame[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const masked = (bytes[at + 1]! & 0x80) !== 0;
    let length = bytes[at + 1]! & 0x7f;
    let offset = at + 2;
    if (length === 126) {
      length = bytes.readUInt16BE(offset);
      offset += 2;
    } else if (length === 127) {
      length = Number(bytes.readBigUInt64BE(offset));
      offset += 8;
    }
    const key = masked ? bytes.subarray(offset, offset + 4) : undefined;
    if (key) offset += 4;
    if (offset + length > bytes.length) break;
    const payload = Buffer.from(bytes.subarray(offset, offset + length));
    if (key) for (let i = 0; i < payload.length; i++) payload[i] ^= key[i & 3]!;
    frames.push({ fin: (bytes[at]! & 0x80) !== 0, opcode: bytes[at]! & 0x0f, payload });
    at = offset + length;
  }
  return frames;
}
