import { get, type IncomingMessage } from 'node:http';

/** How an event stream ended, as node:http's parser saw it. */
export interface StreamEnd {
  /** True when the response ended properly (the last chunk of a chunked body arrived). */
  complete: boolean;
  /** Date.now() when the end was seen. */
  at: number;
  /** `event: stats` frames received in all. */
  events: number;
}

/** A `text/event-stream` response being read. */
export interface EventStream {
  status: number;
  /** `event: stats` frames received so far. */
  events(): number;
  ended: Promise<StreamEnd>;
  /** Drops the connection from the client side. */
  destroy(): void;
}

/**
 * GETs `url` with the bearer `token` through node:http and counts the `event: stats` frames
 * as they arrive. Resolves once the response head is in (any status).
 */
export function openEventStream(url: string, token: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res: IncomingMessage) => {
      let events = 0;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        const frames = text.split('\n\n');
        text = frames.pop() ?? '';
        events += frames.filter((frame) => frame.split('\n').includes('event: stats')).length;
      });
      const ended = new Promise<StreamEnd>((done) => {
        res.once('end', () => done({ complete: res.complete, at: Date.now(), events }));
        res.once('close', () => done({ complete: res.complete, at: Date.now(), events }));
        res.once('error', () => done({ complete: false, at: Date.now(), events }));
      });
      resolve({ status: res.statusCode ?? 0, events: () => events, ended, destroy: () => request.destroy() });
    });
    request.once('error', reject);
  });
}
