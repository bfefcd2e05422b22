// The dashboard's Content-Security-Policy (CSP Level 3) and the other security headers of its
// pages. Next's app router bootstraps with inline scripts, so scripts are allowed by a
// per-request nonce (Next reads it back from the request's CSP header and puts it on its own
// script tags: node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md).

export interface CspOptions {
  /** Fresh, unguessable, base64; one per page request. */
  nonce: string;
  /** `next dev` only: React's dev build needs eval for its error overlays. */
  dev?: boolean;
  /** The page was reached over https: ask the browser to upgrade any http subresource. */
  secure?: boolean;
}

/**
 * The `Content-Security-Policy` of a page: everything from the dashboard's own origin only,
 * scripts only with the nonce (`'strict-dynamic'` lets those load Next's chunks), no plugins,
 * no `<base>` elsewhere, forms post only here, never framed (clickjacking), fetch and the
 * live event stream to this origin only.
 */
export function contentSecurityPolicy({ nonce, dev = false, secure = false }: CspOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (secure) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** 18 random bytes as base64: a CSP nonce (CSP3 asks for at least 128 bits). */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}
