import { describe, expect, it } from 'vitest';
import { changeSubject, fieldText, formatValue } from './config-changes';

describe('changeSubject', () => {
  it('names balancers, members and routes with their balancer', () => {
    expect(changeSubject({ kind: 'balancer', balancer: 'chat', key: 'chat' })).toBe('balancer chat');
    expect(changeSubject({ kind: 'member', balancer: 'chat', key: 'ws://10.0.0.1:9000' })).toBe('member ws://10.0.0.1:9000 of balancer chat');
    expect(changeSubject({ kind: 'route', balancer: 'chat', key: ' prefix /chat any' })).toBe('route  prefix /chat any of balancer chat');
  });
});

describe('fieldText', () => {
  it('shows before → after for a changed field, (none) for a missing side', () => {
    expect(fieldText('changed', { path: 'weight', before: 1, after: 5 })).toBe('weight: 1 → 5');
    expect(fieldText('changed', { path: 'name', after: 'chat-a' })).toBe('name: (none) → chat-a');
    expect(fieldText('changed', { path: 'sticky.name', before: 'sb' })).toBe('sticky.name: sb → (none)');
  });
  it('shows the one side there is for an added or removed entity', () => {
    expect(fieldText('added', { path: 'url', after: 'ws://b' })).toBe('url: ws://b');
    expect(fieldText('removed', { path: 'url', before: 'ws://a' })).toBe('url: ws://a');
  });
});

describe('formatValue', () => {
  it('keeps plain strings bare and quotes the ambiguous ones', () => {
    expect(formatValue('bybusyness')).toBe('bybusyness');
    expect(formatValue('')).toBe('""');
    expect(formatValue(' padded')).toBe('" padded"');
  });
  it('writes numbers, booleans, null, objects and arrays as JSON', () => {
    expect(formatValue(0)).toBe('0');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(null)).toBe('null');
    expect(formatValue({ mode: 'cookie', name: 'sb' })).toBe('{"mode":"cookie","name":"sb"}');
    expect(formatValue([1, 2])).toBe('[1,2]');
    expect(formatValue(undefined)).toBe('(none)');
  });
});
