import { config } from 'zod';

// In a browser, zod compiles each object schema's fast path with `new Function` and probes
// whether eval is allowed as the schema is created. Under the dashboard's CSP (no
// 'unsafe-eval') that probe is refused and reported as a violation, even though zod then
// falls back. Jitless parsing needs no eval; the schemas of this lib are small. This module is
// index.ts's first import, so it runs before any schema is built.
if ('window' in globalThis) config({ jitless: true });
