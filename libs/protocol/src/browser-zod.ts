import { z } from 'zod';

// zod 4 probes for eval (`new Function('')`) as it builds each object schema, to compile fast
// parsers. Under a CSP without 'unsafe-eval' (the dashboard's) the probe throws, which zod
// catches, but the browser still reports a securitypolicyviolation on every page that imports
// this lib. In a browser the schemas are therefore built jitless (zod's own switch for strict
// CSPs); it must be set before any schema exists, so index.ts imports this module first. Node
// (control plane, agent, server rendering) keeps the JIT.
if ('window' in globalThis) z.config({ jitless: true });
