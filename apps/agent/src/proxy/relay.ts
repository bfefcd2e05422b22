import type { Duplex } from 'node:stream';
import type { FrameTracker } from './frames';

/**
 * One direction of an open tunnel: forwards each chunk from `from` to `to` as it arrives, pausing
 * `from` while `to` is full (Node's `pipe`, whose end handling the Tunnel does itself), counts
 * the bytes and follows the frame boundaries. Asked to close (closeAtBoundary), it forwards up
 * to the end of the frame under way, writes the close frame there, and from then on forwards
 * nothing, still following what arrives so the peer's close reply is seen.
 */
export class Relay {
  /** True once the agent's close frame was written: nothing more is forwarded. */
  closed = false;
  private closeFrame: Buffer | undefined;
  private onClosingChunk: (() => void) | undefined;

  /** `count` gets the length of every chunk read from `from`. */
  constructor(
    private readonly from: Duplex,
    private readonly to: Duplex,
    readonly frames: FrameTracker,
    private readonly count: (bytes: number) => void,
  ) {
    from.on('data', this.onData);
    to.on('drain', this.onDrain);
    from.resume();
  }

  /**
   * Writes `frame` (a close frame) at the next frame boundary (now, when between frames) and
   * stops forwarding; `onChunk` is called after every chunk read from then on.
   */
  closeAtBoundary(frame: Buffer, onChunk: () => void): void {
    this.closeFrame = frame;
    this.onClosingChunk = onChunk;
    if (this.frames.atBoundary) this.writeClose(frame);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.count(chunk.length);
    if (this.closeFrame === undefined) {
      this.frames.scan(chunk);
      this.forward(chunk);
    } else {
      this.closing(chunk, this.closeFrame);
    }
  };

  private readonly onDrain = (): void => {
    this.from.resume();
  };

  /** Writes unless `to` is ended or destroyed (as `pipe` stops at its destination's finish). */
  private forward(chunk: Buffer): void {
    if (this.to.writable && !this.to.write(chunk)) this.from.pause();
  }

  private closing(chunk: Buffer, frame: Buffer): void {
    let at = 0;
    if (!this.closed) {
      while (at < chunk.length && !this.frames.atBoundary) at = this.frames.next(chunk, at);
      if (at > 0) this.forward(at === chunk.length ? chunk : chunk.subarray(0, at));
      if (this.frames.atBoundary) this.writeClose(frame);
    }
    if (this.closed) this.frames.scan(chunk, at);
    this.onClosingChunk?.();
  }

  private writeClose(frame: Buffer): void {
    this.closed = true;
    if (this.to.writable) this.to.write(frame);
    // What follows is read and dropped, so the peer's close reply and its end are seen.
    this.from.resume();
  }
}
