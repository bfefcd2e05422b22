import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce } from './csp';

function directives(policy: string): Map<string, string> {
  return new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.slice(d.indexOf(' ') + 1)]));
}

describe('contentSecurityPolicy', () => {
  it('allows only this origin, scripts and styles by nonce, and never framing', () => {
    const d = directives(contentSecurityPolicy({ nonce: 'abc123==' }));
    expect(d.get('default-src')).toBe("'self'");
    expect(d.get('script-src')).toBe("'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(d.get('style-src')).toBe("'self' 'nonce-abc123=='");
    expect(d.get('connect-src')).toBe("'self'");
    expect(d.get('object-src')).toBe("'none'");
    expect(d.get('base-uri')).toBe("'self'");
    expect(d.get('form-action')).toBe("'self'");
    expect(d.get('frame-ancestors')).toBe("'none'");
    expect(d.has('upgrade-insecure-requests')).toBe(false);
    expect(contentSecurityPolicy({ nonce: 'n' })).not.toMatch(/unsafe/);
  });

  it('adds eval only for next dev, and upgrades subresources over https', () => {
    expect(directives(contentSecurityPolicy({ nonce: 'n', dev: true })).get('script-src')).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ nonce: 'n', secure: true })).toMatch(/; upgrade-insecure-requests$/);
  });

  it('makes a fresh 144-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(Buffer.from(n, 'base64')).toHaveLength(18);
  });
});
