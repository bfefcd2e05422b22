import { createHash } from 'node:crypto';

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
  const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`;
}

/** Opcodes used by the tests (RFC 6455 §5.2). */
export const OPCODE = { text: 0x1, binary: 0x2, close: 0x8 } as const;

/**
 * One final WebSocket frame (RFC 6455 §5.2): masked as a client must send it when `masked`
 * (fixed mask 1 2 3 4), unmasked as a server sends it. Payloads up to 65535 bytes.
 */
export function frame(opcode: number, payload: Buffer | string, masked: boolean): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const length = data.length < 126 ? Buffer.from([data.length]) : Buffer.from([126, data.length >> 8, data.length & 0xff]);
  length[0]! |= masked ? 0x80 : 0;
  if (!masked) return Buffer.concat([Buffer.from([0x80 | opcode]), length, data]);
  const mask = Buffer.from([1, 2, 3, 4]);
  return Buffer.concat([Buffer.from([0x80 | opcode]), length, mask, data.map((byte, i) => byte ^ mask[i % 4]!)]);
}

/** A close frame carrying `code` (any 16-bit value, valid or not) and `reason`. */
export function closeFrame(code: number, reason: string, masked: boolean): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return frame(OPCODE.close, payload, masked);
}
