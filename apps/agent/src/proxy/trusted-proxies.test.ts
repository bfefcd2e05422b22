import { describe, expect, it } from 'vitest';
import { TrustedProxies } from './trusted-proxies';

describe('TrustedProxies', () => {
  const trusted = new TrustedProxies(['10.0.0.0/8', '192.0.2.7/32', '2001:db8::/32']);

  it.each([
    ['10.255.0.1', true],
    ['11.0.0.1', false],
    ['192.0.2.7', true],
    ['192.0.2.8', false],
    ['::ffff:10.1.2.3', true],
    ['2001:db8:1::5', true],
    ['2001:db9::5', false],
    ['', false],
    ['unknown', false],
    ['10.0.0.1:80', false],
  ])('%s → %s', (address, expected) => expect(trusted.has(address)).toBe(expected));

  it('gives the same answers once many addresses went through its memo', () => {
    for (let i = 0; i < 3_000; i += 1) expect(trusted.has(`10.0.${i >> 8}.${i & 255}`)).toBe(true);
    for (let i = 0; i < 3_000; i += 1) expect(trusted.has(`172.16.${i >> 8}.${i & 255}`)).toBe(false);
    expect([trusted.has('10.9.9.9'), trusted.has('2001:db8::1'), trusted.has('192.0.2.8')]).toEqual([true, true, false]);
  });

  it('trusts nobody when empty', () => {
    const none = new TrustedProxies([]);
    expect(none.none).toBe(true);
    expect(none.has('127.0.0.1')).toBe(false);
  });
});
