import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Not found' };

// Replaces Next's built-in 404 page, whose inline style attributes the CSP (style-src with a
// nonce, no 'unsafe-inline') would block.
export default function NotFound() {
  return (
    <main className="login">
      <div className="card login-card">
        <h1>Not found</h1>
        <p className="muted">There is no page at this address.</p>
        <Link href="/">Back to the balancers</Link>
      </div>
    </main>
  );
}
