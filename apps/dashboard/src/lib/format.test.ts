import { describe, expect, it } from 'vitest';
import { formatAgo, formatBytes, formatClock, formatCount, formatMs } from './format';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1, '1 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [10 * 1024, '10 KiB'],
    [1024 * 1024 - 1, '1 MiB'],
    [50 * 1024 * 1024, '50 MiB'],
    [3.25 * 1024 ** 3, '3.3 GiB'],
    [2 * 1024 ** 4, '2 TiB'],
  ])('%d → %s', (n, s) => {
    expect(formatBytes(n)).toBe(s);
  });

  it('renders nonsense as a dash', () => {
    expect(formatBytes(-1)).toBe('–');
    expect(formatBytes(Number.NaN)).toBe('–');
  });
});

describe('formatAgo', () => {
  const now = Date.parse('2030-01-01T12:00:00Z');
  it.each([
    [null, 'never'],
    ['2030-01-01T12:00:00Z', 'just now'],
    ['2030-01-01T11:59:30Z', '30 s ago'],
    ['2030-01-01T11:55:00Z', '5 min ago'],
    ['2030-01-01T09:00:00Z', '3 h ago'],
    ['2029-12-29T12:00:00Z', '3 d ago'],
    ['garbage', '–'],
  ])('%s → %s', (iso, s) => {
    expect(formatAgo(iso, now)).toBe(s);
  });
});

describe('formatCount', () => {
  it('prints plain integers and a dash for missing figures', () => {
    expect(formatCount(12345)).toBe('12345');
    expect(formatCount(null)).toBe('–');
  });
});

describe('formatClock', () => {
  const now = new Date(2030, 0, 2, 12, 0, 0).getTime();
  it('shows the time of day on the same day, and the date otherwise', () => {
    expect(formatClock(new Date(2030, 0, 2, 9, 5, 7).getTime(), now)).toBe('09:05:07');
    expect(formatClock(new Date(2030, 0, 3, 0, 0, 1).getTime(), now)).toBe('2030-01-03 00:00:01');
    expect(formatClock(new Date(2029, 11, 31, 23, 59, 59).getTime(), now)).toBe('2029-12-31 23:59:59');
  });

  it('renders nonsense as a dash', () => {
    expect(formatClock(Number.NaN, now)).toBe('–');
  });
});

describe('formatMs', () => {
  it.each([
    [0, '0 ms'],
    [250, '250 ms'],
    [1000, '1 s'],
    [1500, '1.5 s'],
    [5000, '5 s'],
    [90_000, '90 s'],
    [120_000, '2 min'],
    [3_600_000, '60 min'],
  ])('%d → %s', (ms, s) => {
    expect(formatMs(ms)).toBe(s);
  });

  it('renders nonsense as a dash', () => {
    expect(formatMs(-1)).toBe('–');
  });
});
