import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Problem } from './problem';
import { ZodPipe } from './zod.pipe';

const schema = z.strictObject({ name: z.string(), timeouts: z.strictObject({ connectMs: z.number().int() }).optional() });

/** The field errors of the Problem the pipe throws for `value`. */
function refused(value: unknown): { path: string; message: string }[] {
  try {
    new ZodPipe(schema).transform(value);
  } catch (err) {
    if (err instanceof Problem && err.code === 'validation') return err.errors ?? [];
    throw err;
  }
  throw new Error('accepted');
}

describe('ZodPipe', () => {
  it('names every bad field by its path', () => {
    expect(refused({ name: 1, timeouts: { connectMs: 1.5 } }).map((e) => e.path)).toEqual(['name', 'timeouts.connectMs']);
    expect(refused('text')).toEqual([{ path: '(body)', message: expect.any(String) }]);
  });

  it('names each unknown key by its own path, nested ones too', () => {
    expect(refused({ name: 'x', extra: 1, other: 2, timeouts: { connectMs: 1, bogus: 3 } }).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'extra', message: 'unknown field: not one this request takes' },
      { path: 'other', message: 'unknown field: not one this request takes' },
      { path: 'timeouts.bogus', message: 'unknown field: not one this request takes' },
    ]);
  });
});
