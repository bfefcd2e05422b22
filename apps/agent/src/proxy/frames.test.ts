import { describe, expect, it } from 'vitest';
import { wsFrame } from '../testing/ws-frames';
import { FrameTracker } from './frames';

const HEAD = Buffer.from('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');

/** Feeds `chunks` to `tracker` one frame at a time and returns the stream offsets where it found itself between frames. */
function boundaries(tracker: FrameTracker, chunks: Buffer[]): number[] {
  const found: number[] = [];
  let base = 0;
  for (const chunk of chunks) {
    let at = 0;
    while (at < chunk.length) {
      at = tracker.next(chunk, at);
      if (tracker.atBoundary) found.push(base + at);
    }
    base += chunk.length;
  }
  return found;
}

/** Frames of every length form and kind: text, a fragmented message with a ping between its fragments, 16- and 64-bit lengths, empty, close. */
function mixedFrames(masked: boolean): Buffer[] {
  return [
    wsFrame({ opcode: 1, payload: Buffer.from('hello'), masked }),
    wsFrame({ opcode: 1, payload: Buffer.from('frag-'), fin: false, masked }),
    wsFrame({ opcode: 9, payload: Buffer.from('ping'), masked }),
    wsFrame({ opcode: 0, payload: Buffer.alloc(300, 1), fin: false, masked }),
    wsFrame({ opcode: 0, payload: Buffer.from('end'), masked }),
    wsFrame({ opcode: 2, payload: Buffer.alloc(125, 2), masked }),
    wsFrame({ opcode: 2, payload: Buffer.alloc(126, 3), masked }),
    wsFrame({ opcode: 2, payload: Buffer.alloc(65_536, 4), masked }),
    wsFrame({ opcode: 2, payload: Buffer.alloc(0), masked }),
    wsFrame({ opcode: 8, payload: Buffer.from([0x03, 0xe8]), masked }),
  ];
}

/** Offsets where each part ends, from `start`. */
function ends(parts: Buffer[], start = 0): number[] {
  let offset = start;
  return parts.map((part) => (offset += part.length));
}

describe('FrameTracker', () => {
  it('finds the end of the 101 head and of every unmasked frame, however the stream is split', () => {
    const frames = mixedFrames(false);
    const stream = Buffer.concat([HEAD, ...frames]);
    const expected = [HEAD.length, ...ends(frames, HEAD.length)];
    expect(boundaries(new FrameTracker(true), [stream])).toEqual(expected);
    // Every single split point (headers and head cut anywhere), then one byte at a time.
    for (let split = 1; split < stream.length; split += split < HEAD.length + 600 ? 1 : 997) {
      expect(boundaries(new FrameTracker(true), [stream.subarray(0, split), stream.subarray(split)])).toEqual(expected);
    }
    const bytes = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    expect(boundaries(new FrameTracker(true), bytes)).toEqual(expected);
  });

  it('follows masked client frames, with no head, split anywhere', () => {
    const frames = mixedFrames(true);
    const stream = Buffer.concat(frames);
    const expected = ends(frames);
    for (let split = 1; split < 700; split++) {
      expect(boundaries(new FrameTracker(false), [stream.subarray(0, split), stream.subarray(split)])).toEqual(expected);
    }
  });

  it('counts close frames and reports the 101 once', () => {
    let upgrades = 0;
    const tracker = new FrameTracker(true, (switched) => (upgrades += switched ? 1 : 0));
    expect(tracker.atBoundary).toBe(false);
    tracker.scan(Buffer.concat([HEAD, ...mixedFrames(false)]));
    expect(upgrades).toBe(1);
    expect(tracker.closeFrames).toBe(1);
    expect(tracker.tracking).toBe(true);
  });

  it('tracks nothing after a refused upgrade', () => {
    let upgrades = 0;
    const refused = new FrameTracker(true, (switched) => (upgrades += switched ? 1 : 0));
    refused.scan(Buffer.from('HTTP/1.1 403 Forbidden\r\ncontent-length: 2\r\n\r\nno'));
    expect([refused.tracking, refused.atBoundary, upgrades]).toEqual([false, false, 0]);
  });
});
