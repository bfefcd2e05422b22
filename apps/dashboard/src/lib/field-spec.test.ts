import { describe, expect, it } from 'vitest';
import { bodyOf, bodyValue, groupOf, valuesOf, type FieldSpec } from './field-spec';

const specs: readonly FieldSpec<'name' | 'check.type' | 'check.timeoutMs' | 'check.intervalMs' | 'tls.skip' | 'tls.serverName'>[] = [
  { path: 'name', label: 'Name', kind: 'text' },
  { path: 'check.type', label: 'Type', kind: 'choice', options: ['none', 'http'] },
  { path: 'check.timeoutMs', label: 'Timeout', kind: 'number' },
  { path: 'check.intervalMs', label: 'Interval', kind: 'number' },
  { path: 'tls.skip', label: 'Skip', kind: 'flag' },
  { path: 'tls.serverName', label: 'SNI', kind: 'text', nullable: true },
];
const source = { name: 'api', check: { type: 'http', timeoutMs: 2000, intervalMs: 5000 }, tls: { skip: false, serverName: null } };

describe('bodyValue', () => {
  it('sends numbers as numbers and anything else as typed, for the API to name', () => {
    const number = specs[2];
    expect(bodyValue(number, ' 250 ')).toBe(250);
    expect(bodyValue(number, '1.5')).toBe(1.5);
    expect(bodyValue(number, 'soon')).toBe('soon');
    expect(bodyValue(number, '  ')).toBeNull();
  });

  it('trims text, turns an empty nullable text into null, keeps flags and choices', () => {
    expect(bodyValue(specs[0], ' api ')).toBe('api');
    expect(bodyValue(specs[0], '')).toBe('');
    expect(bodyValue(specs[5], ' ')).toBeNull();
    expect(bodyValue(specs[4], true)).toBe(true);
    expect(bodyValue(specs[1], 'http')).toBe('http');
  });
});

describe('valuesOf', () => {
  it('reads each dotted path: numbers as text, null and absent as empty, booleans kept', () => {
    expect(valuesOf(specs, source)).toEqual({ name: 'api', 'check.type': 'http', 'check.timeoutMs': '2000', 'check.intervalMs': '5000', 'tls.skip': false, 'tls.serverName': '' });
    expect(valuesOf(specs, {})['check.timeoutMs']).toBe('');
  });
});

describe('bodyOf', () => {
  const initial = valuesOf(specs, source);

  it('builds the nested body of every field without a starting point', () => {
    expect(bodyOf(specs, initial)).toEqual(source);
  });

  it('sends only the groups that changed, each whole', () => {
    expect(bodyOf(specs, initial, { initial })).toEqual({});
    const values = { ...initial, 'check.timeoutMs': '9000' };
    expect(bodyOf(specs, values, { initial })).toEqual({ check: { type: 'http', timeoutMs: 9000, intervalMs: 5000 } });
    expect(bodyOf(specs, { ...initial, 'tls.skip': true, name: 'web' }, { initial })).toEqual({ name: 'web', tls: { skip: true, serverName: null } });
  });

  it('leaves out the fields `include` refuses', () => {
    expect(bodyOf(specs, { ...initial, name: 'web', 'tls.skip': true }, { initial, include: (p) => p.startsWith('tls.') })).toEqual({ tls: { skip: true, serverName: null } });
  });

  it('names groups by the top-level key', () => {
    expect(groupOf('healthCheck.timeoutMs')).toBe('healthCheck');
    expect(groupOf('weight')).toBe('weight');
  });
});
