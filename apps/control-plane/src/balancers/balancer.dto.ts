import {
  balancerName,
  DEFAULT_FAILOVER,
  DEFAULT_HASH_KEY,
  DEFAULT_HOST_HEADER,
  DEFAULT_LIMITS,
  DEFAULT_STICKY,
  DEFAULT_STICKY_COOKIE,
  DEFAULT_TIMEOUTS,
  failover,
  hashKey,
  hostHeader,
  lbMethod,
  limits,
  snapshotBalancer,
  sticky,
  timeouts,
  type HashKey,
  type HostHeader,
  type Sticky,
} from '@switchboard/protocol';
import { z } from 'zod';
import type { Balancer as BalancerRow } from '../generated/prisma/client';

/** `sticky` as sent: `{ mode: "cookie" }` alone names the cookie SWITCHBOARD_ROUTE. */
const stickyInput = z
  .strictObject({ mode: sticky.shape.mode, name: sticky.shape.name.optional() })
  .transform((s): Sticky => ({ mode: s.mode, name: s.mode === 'cookie' ? (s.name ?? DEFAULT_STICKY_COOKIE) : null }));

/** `hash` as sent: `name` is required for header and cookie sources. */
const hashInput = z
  .strictObject({ source: hashKey.shape.source, name: hashKey.shape.name.optional() })
  .transform((h) => ({ source: h.source, name: h.source === 'ip' ? null : (h.name ?? null) }))
  .pipe(hashKey);

/** `hostHeader` as sent: `value` only with mode `set`. */
const hostHeaderInput = z
  .strictObject({ mode: hostHeader.shape.mode, value: hostHeader.shape.value.optional() })
  .transform((h) => ({ mode: h.mode, value: h.mode === 'set' ? (h.value ?? null) : null }))
  .pipe(hostHeader);

/** POST /api/v1/balancers body. Unknown fields are refused so a typo is not silently ignored. */
export const createBalancerBody = z.strictObject({
  name: balancerName,
  lbMethod: lbMethod.default('byrequests'),
  sticky: stickyInput.default(DEFAULT_STICKY),
  hash: hashInput.default(DEFAULT_HASH_KEY),
  slowStartMs: snapshotBalancer.shape.slowStartMs.default(0),
  hostHeader: hostHeaderInput.default(DEFAULT_HOST_HEADER),
  timeouts: timeouts.partial().strict().default({}).transform((t) => ({ ...DEFAULT_TIMEOUTS, ...t })),
  limits: limits.partial().strict().default({}).transform((l) => ({ ...DEFAULT_LIMITS, ...l })),
  failover: failover.partial().strict().default({}).transform((f) => ({ ...DEFAULT_FAILOVER, ...f })),
});
export type CreateBalancerBody = z.infer<typeof createBalancerBody>;

/** PATCH /api/v1/balancers/{id} body: any subset of the creatable fields. */
export const updateBalancerBody = z.strictObject({
  name: balancerName.optional(),
  lbMethod: lbMethod.optional(),
  sticky: stickyInput.optional(),
  hash: hashInput.optional(),
  slowStartMs: snapshotBalancer.shape.slowStartMs.optional(),
  hostHeader: hostHeaderInput.optional(),
  timeouts: timeouts.partial().strict().optional(),
  limits: limits.partial().strict().optional(),
  failover: failover.partial().strict().optional(),
});
export type UpdateBalancerBody = z.infer<typeof updateBalancerBody>;

/** A balancer as the API shows it (../shared/API.md). */
export interface BalancerDto {
  id: string;
  name: string;
  lbMethod: string;
  sticky: Sticky;
  hash: HashKey;
  slowStartMs: number;
  hostHeader: HostHeader;
  timeouts: { connectMs: number; tunnelIdleMs: number; keepAliveMs: number };
  limits: { maxTunnelsPerMember: number };
  failover: { retries: number };
  createdAt: Date;
  updatedAt: Date;
}

/** The Balancer columns of a body's policy fields (undefined fields stay unchanged). */
export function policyColumns(body: Pick<UpdateBalancerBody, 'sticky' | 'hash' | 'slowStartMs' | 'hostHeader'>) {
  return {
    stickyMode: body.sticky?.mode,
    stickyName: body.sticky ? body.sticky.name : undefined,
    hashSource: body.hash?.source,
    hashName: body.hash ? body.hash.name : undefined,
    slowStartMs: body.slowStartMs,
    hostMode: body.hostHeader?.mode,
    hostValue: body.hostHeader ? body.hostHeader.value : undefined,
  };
}

export function toBalancerDto(row: BalancerRow): BalancerDto {
  return {
    id: row.id,
    name: row.name,
    lbMethod: row.lbMethod,
    sticky: { mode: row.stickyMode as Sticky['mode'], name: row.stickyName },
    hash: { source: row.hashSource as HashKey['source'], name: row.hashName },
    slowStartMs: row.slowStartMs,
    hostHeader: { mode: row.hostMode as HostHeader['mode'], value: row.hostValue },
    timeouts: { connectMs: row.connectMs, tunnelIdleMs: row.tunnelIdleMs, keepAliveMs: row.keepAliveMs },
    limits: { maxTunnelsPerMember: row.maxTunnelsPerMember },
    failover: { retries: row.retries },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
