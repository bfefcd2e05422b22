// CPU cost of following frame boundaries (FrameTracker.scan) on the tunnel's hot path, in 64 KiB
// reads (a typical socket read), for chat-sized, medium and large frames. Run:
//   npx vitest bench --run test/bench/frames.bench.ts
// Each call follows a 16 MiB stream of frames read by read: throughput = 16 MiB × hz.
import { bench, describe } from 'vitest';
import { FrameTracker } from '../../apps/agent/src/proxy/frames';
import { wsFrame } from '../../apps/agent/src/testing/ws-frames';

const CHUNK = 64 * 1024;
const STREAM = 16 * 1024 * 1024;

/** STREAM bytes of back-to-back frames of `payload` bytes (masked or not), cut into CHUNK-sized reads. */
function reads(payload: number, masked: boolean): Buffer[] {
  const frame = wsFrame({ opcode: 2, payload: Buffer.alloc(payload, 0x61), masked });
  const stream = Buffer.concat(Array.from({ length: Math.ceil(STREAM / frame.length) }, () => frame)).subarray(0, STREAM);
  return Array.from({ length: STREAM / CHUNK }, (_, i) => stream.subarray(i * CHUNK, (i + 1) * CHUNK));
}

describe(`FrameTracker.scan, ${STREAM / 1024 / 1024} MiB in ${CHUNK / 1024} KiB reads per call`, () => {
  for (const [name, payload, masked] of [
    ['16 B frames (member → client)', 16, false],
    ['64 B masked frames (client → member)', 64, true],
    ['1 KiB frames', 1024, false],
    ['1 MiB frames (payload skipped)', 1024 * 1024, false],
  ] as const) {
    const chunks = reads(payload, masked);
    bench(name, () => {
      const tracker = new FrameTracker(false);
      for (const chunk of chunks) tracker.scan(chunk);
    });
  }
});
