import type { NextConfig } from 'next';
import path from 'node:path';

/** On every answer, pages and API alike (the pages' CSP is set per request by proxy.ts). */
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
];

/** JSON, problems and event streams are never documents: nothing in them may run or be framed. */
const API_CSP = [{ key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" }];

const nextConfig: NextConfig = {
  // The repo root holds node_modules and the lockfile; pin it so that building from
  // apps/dashboard or from the root resolves the same way.
  turbopack: { root: path.resolve(__dirname, '../..') },
  outputFileTracingRoot: path.resolve(__dirname, '../..'),
  poweredByHeader: false,
  reactStrictMode: true,
  headers: () =>
    Promise.resolve([
      { source: '/:path*', headers: SECURITY_HEADERS },
      { source: '/api/:path*', headers: API_CSP },
      { source: '/session', headers: API_CSP },
    ]),
};

export default nextConfig;
