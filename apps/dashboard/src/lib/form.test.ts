import { describe, expect, it } from 'vitest';
import { compactBody, errorsByField, numericField, percentToFraction, secondsToMs } from './form';

describe('numericField', () => {
  it('leaves an empty field out, converts numbers and passes other text on for the API to name', () => {
    expect(numericField('  ')).toBeUndefined();
    expect(numericField('42')).toBe(42);
    expect(numericField(' 1.5 ', secondsToMs)).toBe(1500);
    expect(numericField('1.1', secondsToMs)).toBe(1100);
    expect(numericField('29', percentToFraction)).toBe(0.29);
    expect(numericField('ten', secondsToMs)).toBe('ten');
  });
});

describe('compactBody', () => {
  it('drops undefined values only', () => {
    expect(compactBody({ a: undefined, b: 0, c: null })).toEqual({ b: 0, c: null });
  });
});

describe('errorsByField', () => {
  it('puts each error next to the field its path names, and keeps the rest', () => {
    const problem = {
      type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Invalid body', 
      errors: [
        { path: 'windowMs', message: 'must not exceed deadlineMs' },
        { path: 'windowMs', message: 'must be an integer' },
        { path: 'deadlineMs', message: 'is required with windowMs' },
        { path: 'extra', message: 'unknown field' },
        { path: '', message: 'bad body' },
      ],
    };
    expect(errorsByField(problem, ['deadlineMs', 'windowMs'] as const)).toEqual({
      byField: { windowMs: ['must not exceed deadlineMs', 'must be an integer'], deadlineMs: ['is required with windowMs'] },
      other: ['extra: unknown field', 'bad body'],
    });
    expect(errorsByField(null, ['windowMs'])).toEqual({ byField: {}, other: [] });
  });
});
