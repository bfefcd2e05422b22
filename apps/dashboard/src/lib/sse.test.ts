import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse';

function parse(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  return { events, parser };
}

describe('SseParser', () => {
  it('parses a named event with JSON data', () => {
    const { events } = parse(['event: stats\ndata: {"a":1}\n\n']);
    expect(events).toEqual([{ event: 'stats', data: '{"a":1}', id: '' }]);
  });

  it('defaults the event type to "message" and joins data lines with LF', () => {
    const { events } = parse(['data: one\ndata: two\ndata\n\n']);
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo\n', id: '' }]);
  });

  it('handles events split at any byte boundary', () => {
    const text = 'event: stats\ndata: {"members":[1,2,3]}\n\nevent: stats\ndata: {"members":[]}\n\n';
    for (let i = 0; i <= text.length; i++) {
      const { events } = parse([text.slice(0, i), text.slice(i)]);
      expect(events.map((e) => e.data)).toEqual(['{"members":[1,2,3]}', '{"members":[]}']);
    }
    const { events } = parse([...text]);
    expect(events).toHaveLength(2);
  });

  it('accepts CRLF and lone CR line endings, including a CRLF split across chunks', () => {
    expect(parse(['event: a\r\ndata: 1\r\n\r\n']).events).toEqual([{ event: 'a', data: '1', id: '' }]);
    expect(parse(['event: a\rdata: 1\r\r']).events).toEqual([{ event: 'a', data: '1', id: '' }]);
    const split = parse(['data: 1\r', '\n', '\r', '\ndata: 2\r\n\r\n']);
    expect(split.events.map((e) => e.data)).toEqual(['1', '2']);
  });

  it('does not swallow a real LF after a CR that arrived alone', () => {
    // "data: 1\r" then "\n" (same line break), then "\n" (the blank line that dispatches)
    const { events } = parse(['data: 1\r', '\n', '\n']);
    expect(events.map((e) => e.data)).toEqual(['1']);
  });

  it('ignores comments, unknown fields and events without data', () => {
    const { events } = parse([': keep-alive\n\nfoo: bar\nevent: x\n\nevent: stats\ndata:x\n\n']);
    expect(events).toEqual([{ event: 'stats', data: 'x', id: '' }]);
  });

  it('strips only one leading space, and a BOM at the very start', () => {
    const { events } = parse(['\uFEFFdata:  two spaces\n\n']);
    expect(events[0]?.data).toBe(' two spaces');
  });

  it('keeps the last event id and reads retry', () => {
    const { events, parser } = parse(['id: 7\nretry: 2500\ndata: a\n\ndata: b\n\nretry: soon\n\n']);
    expect(events.map((e) => e.id)).toEqual(['7', '7']);
    expect(parser.retryMs).toBe(2500);
  });

  it('does not dispatch an unterminated event', () => {
    const { events } = parse(['event: stats\ndata: {"partial":true}\n']);
    expect(events).toEqual([]);
  });

  it('forgets a half-received event on reset', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push('data: stale\n');
    parser.reset();
    parser.push('data: fresh\n\n');
    expect(events.map((e) => e.data)).toEqual(['fresh']);
  });
});
