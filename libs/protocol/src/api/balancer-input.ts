import { z } from 'zod';
import {
  DEFAULT_FAILOVER,
  DEFAULT_HASH_KEY,
  DEFAULT_HEALTH_CHECK,
  DEFAULT_HOST_HEADER,
  DEFAULT_LIMITS,
  DEFAULT_PASSIVE_HEALTH,
  DEFAULT_STICKY,
  DEFAULT_STICKY_COOKIE,
  DEFAULT_TIMEOUTS,
  DEFAULT_UPSTREAM_TLS,
  failover,
  hashKey,
  healthCheck,
  hostHeader,
  lbMethod,
  limits,
  passiveHealth,
  snapshotBalancer,
  sticky,
  timeouts,
  upstreamTls,
  type Sticky,
} from '../config';

// Balancer settings as a client writes them (the body of POST /balancers and each balancer of a
// configuration document): partial objects, names only where they mean something, defaults for
// whatever is absent. Unknown fields are refused so a typo is not silently ignored.

/** `sticky` as sent: `{ mode: "cookie" }` alone names the cookie SWITCHBOARD_ROUTE. */
export const stickyInput = z
  .strictObject({ mode: sticky.shape.mode, name: sticky.shape.name.optional() })
  .transform((s): Sticky => ({ mode: s.mode, name: s.mode === 'cookie' ? (s.name ?? DEFAULT_STICKY_COOKIE) : null }))
  .describe(`Sticky sessions; mode cookie without a name uses the cookie ${DEFAULT_STICKY_COOKIE}`);

/** `hash` as sent: `name` is required for header and cookie sources. */
export const hashInput = z
  .strictObject({ source: hashKey.shape.source, name: hashKey.shape.name.optional() })
  .transform((h) => ({ source: h.source, name: h.source === 'ip' ? null : (h.name ?? null) }))
  .pipe(hashKey);

/** `hostHeader` as sent: `value` only with mode `set`. */
export const hostHeaderInput = z
  .strictObject({ mode: hostHeader.shape.mode, value: hostHeader.shape.value.optional() })
  .transform((h) => ({ mode: h.mode, value: h.mode === 'set' ? (h.value ?? null) : null }))
  .pipe(hostHeader);

/**
 * Every setting of a balancer but its name, each with the default of POST /api/v1/balancers
 * when absent. Partial objects (timeouts, limits, …) are merged over the defaults and checked
 * whole, so cross-field rules (healthCheck.timeoutMs ≤ intervalMs) name their field. The output
 * is complete: the snapshot's settings but id, name, rebalance and members.
 */
export const balancerSettingsInput = {
  lbMethod: lbMethod.default('byrequests'),
  sticky: stickyInput.default(DEFAULT_STICKY),
  hash: hashInput.default(DEFAULT_HASH_KEY),
  slowStartMs: snapshotBalancer.shape.slowStartMs.default(0),
  hostHeader: hostHeaderInput.default(DEFAULT_HOST_HEADER),
  timeouts: timeouts.partial().strict().default({}).transform((t) => ({ ...DEFAULT_TIMEOUTS, ...t })),
  limits: limits.partial().strict().default({}).transform((l) => ({ ...DEFAULT_LIMITS, ...l })),
  failover: failover.partial().strict().default({}).transform((f) => ({ ...DEFAULT_FAILOVER, ...f })),
  healthCheck: z.strictObject(healthCheck.shape).partial().default({}).transform((h) => ({ ...DEFAULT_HEALTH_CHECK, ...h })).pipe(healthCheck),
  passiveHealth: passiveHealth.partial().strict().default({}).transform((p) => ({ ...DEFAULT_PASSIVE_HEALTH, ...p })),
  tls: upstreamTls.partial().strict().default({}).transform((t) => ({ ...DEFAULT_UPSTREAM_TLS, ...t })),
};
