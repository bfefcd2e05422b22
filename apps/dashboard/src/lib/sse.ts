// A server-sent-events parser following the WHATWG "event stream interpretation" rules.
// EventSource cannot send an Authorization header, so the dashboard reads the stream with
// fetch() and feeds the decoded text through this parser.

export interface SseEvent {
  /** `event:` field; "message" when absent. */
  event: string;
  /** `data:` lines joined with "\n". */
  data: string;
  /** Last event id seen on the stream so far ("" if none). */
  id: string;
}

export class SseParser {
  private buffer = '';
  private scanFrom = 0;
  private skipLeadingLf = false;
  private started = false;
  private eventType = '';
  private data: string[] = [];
  private lastId = '';
  /** Reconnection time announced by the server with `retry:`, in ms. */
  retryMs: number | undefined;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  /** Feed decoded text; complete events are dispatched synchronously. */
  push(chunk: string): void {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // A CR ended the previous chunk: a LF that starts this one belongs to the same line break.
    if (this.skipLeadingLf && text.length > 0) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.skipLeadingLf = false;
    }
    this.buffer += text;

    let lineStart = 0;
    let i = this.scanFrom;
    const buf = this.buffer;
    while (i < buf.length) {
      const c = buf.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) {
        i++;
        continue;
      }
      this.line(buf.slice(lineStart, i));
      if (c === 0x0d) {
        if (i + 1 < buf.length) {
          if (buf.charCodeAt(i + 1) === 0x0a) i++;
        } else {
          this.skipLeadingLf = true;
        }
      }
      i++;
      lineStart = i;
    }
    this.buffer = buf.slice(lineStart);
    this.scanFrom = this.buffer.length;
  }

  /** Forget any half-received event, as when the connection ends. */
  reset(): void {
    this.buffer = '';
    this.scanFrom = 0;
    this.skipLeadingLf = false;
    this.started = false;
    this.eventType = '';
    this.data = [];
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    const type = this.eventType;
    const data = this.data;
    this.eventType = '';
    this.data = [];
    if (data.length === 0) return;
    this.onEvent({ event: type === '' ? 'message' : type, data: data.join('\n'), id: this.lastId });
  }
}
