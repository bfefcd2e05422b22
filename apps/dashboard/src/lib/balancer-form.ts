import {
  DEFAULT_FAILOVER,
  DEFAULT_HASH_KEY,
  DEFAULT_HEALTH_CHECK,
  DEFAULT_HOST_HEADER,
  DEFAULT_LIMITS,
  DEFAULT_PASSIVE_HEALTH,
  DEFAULT_STICKY,
  DEFAULT_TIMEOUTS,
  DEFAULT_UPSTREAM_TLS,
  hashKey,
  healthCheck,
  hostHeader,
  lbMethod,
  sticky,
} from '@switchboard/protocol';
import type { Balancer } from '@switchboard/api-client';
import { bodyOf, valuesOf, type FieldSpec, type FormValues } from './field-spec';

const ms = (label: string, hint = 'ms'): { label: string; kind: 'number'; hint: string } => ({ label, kind: 'number', hint });

/** Every setting the balancer form edits, by section, each under the path POST/PATCH /balancers use. */
export const BALANCER_SECTIONS = [
  {
    title: 'Balancing',
    fields: [
      { path: 'name', label: 'Name', kind: 'text', hint: 'a-z, 0-9 and -' },
      { path: 'lbMethod', label: 'lbmethod', kind: 'choice', options: lbMethod.options },
      { path: 'slowStartMs', ...ms('Slow start', 'ms; 0 = none') },
      { path: 'failover.retries', label: 'Failover retries', kind: 'number', hint: 'other members tried' },
    ],
  },
  {
    title: 'Affinity',
    fields: [
      { path: 'sticky.mode', label: 'Sticky sessions', kind: 'choice', options: sticky.shape.mode.options },
      { path: 'sticky.name', label: 'Cookie name', kind: 'text', nullable: true, hint: 'default SWITCHBOARD_ROUTE' },
      { path: 'hash.source', label: 'Hash key', kind: 'choice', options: hashKey.shape.source.options },
      { path: 'hash.name', label: 'Header or cookie name', kind: 'text', nullable: true },
      { path: 'hostHeader.mode', label: 'Host header', kind: 'choice', options: hostHeader.shape.mode.options },
      { path: 'hostHeader.value', label: 'Host to send', kind: 'text', nullable: true },
    ],
  },
  {
    title: 'Timeouts and limits',
    fields: [
      { path: 'timeouts.connectMs', ...ms('Connect') },
      { path: 'timeouts.tunnelIdleMs', ...ms('Tunnel idle', 'ms; 0 = never') },
      { path: 'timeouts.keepAliveMs', ...ms('Keep-alive', 'ms; 0 = no pooling') },
      { path: 'timeouts.responseHeaderMs', ...ms('Response head', 'ms; 0 = wait forever') },
      { path: 'limits.maxTunnelsPerMember', label: 'Max tunnels per member', kind: 'number', hint: '0 = no cap' },
      { path: 'limits.queueTimeoutMs', ...ms('Queue timeout', 'ms; 0 = no waiting') },
    ],
  },
  {
    title: 'Health',
    fields: [
      { path: 'healthCheck.type', label: 'Active check', kind: 'choice', options: healthCheck.shape.type.options },
      { path: 'healthCheck.path', label: 'Check path', kind: 'text' },
      { path: 'healthCheck.expectStatus', label: 'Expected status', kind: 'number' },
      { path: 'healthCheck.intervalMs', ...ms('Interval') },
      { path: 'healthCheck.timeoutMs', ...ms('Check timeout', 'ms; ≤ interval') },
      { path: 'healthCheck.passes', label: 'Up after', kind: 'number', hint: 'good checks' },
      { path: 'healthCheck.fails', label: 'Down after', kind: 'number', hint: 'failed checks' },
      { path: 'passiveHealth.fails', label: 'Passive: down after', kind: 'number', hint: 'failed connects' },
      { path: 'passiveHealth.retryMs', ...ms('Passive: retry after') },
    ],
  },
  {
    title: 'Upstream TLS',
    fields: [
      { path: 'tls.insecureSkipVerify', label: 'Skip certificate verification (insecure)', kind: 'flag' },
      { path: 'tls.serverName', label: 'Server name (SNI)', kind: 'text', nullable: true, hint: 'default: the member URL’s host' },
    ],
  },
] as const satisfies readonly { title: string; fields: readonly FieldSpec[] }[];

export type BalancerField = (typeof BALANCER_SECTIONS)[number]['fields'][number]['path'];
export type BalancerValues = FormValues<BalancerField>;

/** All fields of the form, in order. */
export const BALANCER_FIELDS: readonly FieldSpec<BalancerField>[] = BALANCER_SECTIONS.flatMap((s): readonly FieldSpec<BalancerField>[] => s.fields);

/** The form's values for an existing balancer. */
export function balancerValues(balancer: Omit<Balancer, 'id' | 'rebalance' | 'createdAt' | 'updatedAt'>): BalancerValues {
  return valuesOf(BALANCER_FIELDS, balancer);
}

/** The form's values for a new balancer: the API's defaults, name empty. */
export function newBalancerValues(): BalancerValues {
  return balancerValues({
    name: '',
    lbMethod: 'byrequests',
    sticky: DEFAULT_STICKY,
    hash: DEFAULT_HASH_KEY,
    slowStartMs: 0,
    hostHeader: DEFAULT_HOST_HEADER,
    timeouts: DEFAULT_TIMEOUTS,
    limits: DEFAULT_LIMITS,
    failover: DEFAULT_FAILOVER,
    healthCheck: DEFAULT_HEALTH_CHECK,
    passiveHealth: DEFAULT_PASSIVE_HEALTH,
    tls: DEFAULT_UPSTREAM_TLS,
  });
}

/**
 * The body of POST /balancers (no `initial`: every field) or PATCH /balancers/{id} (with the
 * values the form started from: only the changed groups, each whole, e.g. the whole
 * `healthCheck` when its timeout changed, so the API checks timeoutMs ≤ intervalMs on what is sent).
 */
export function balancerBody(values: BalancerValues, initial?: BalancerValues): Record<string, unknown> {
  return bodyOf(BALANCER_FIELDS, values, { initial });
}

const hasCheck = (v: BalancerValues) => v['healthCheck.type'] !== 'none';

/** Conditions of the fields that mean something only with some other values; the rest are always shown. */
const SHOWN_WHEN: Partial<Record<BalancerField, (values: BalancerValues) => boolean>> = {
  'sticky.name': (v) => v['sticky.mode'] === 'cookie',
  'hash.source': (v) => v.lbMethod === 'hash',
  'hash.name': (v) => v.lbMethod === 'hash' && v['hash.source'] !== 'ip',
  'hostHeader.value': (v) => v['hostHeader.mode'] === 'set',
  'healthCheck.path': (v) => v['healthCheck.type'] === 'http' || v['healthCheck.type'] === 'websocket',
  'healthCheck.expectStatus': (v) => v['healthCheck.type'] === 'http',
  'healthCheck.intervalMs': hasCheck,
  'healthCheck.timeoutMs': hasCheck,
  'healthCheck.passes': hasCheck,
  'healthCheck.fails': hasCheck,
};

/**
 * Whether a field means anything with the other values: the cookie name only for cookie
 * stickiness, the hash key only for lbmethod hash (its name only for header or cookie), the Host
 * value only for mode `set`, the active check's details only with a check (path for http and
 * websocket, status for http). Hidden fields keep their values.
 */
export function balancerFieldShown(path: BalancerField, values: BalancerValues): boolean {
  return SHOWN_WHEN[path]?.(values) ?? true;
}
