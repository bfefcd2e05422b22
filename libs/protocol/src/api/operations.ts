import { z } from 'zod';
import { agent } from './agent';
import { auditPage, auditQuery } from './audit';
import { configChange, configDiff, revisionDiffParams, revisionNumberParams } from './config-diff';
import { configDocument, configExportQuery } from './config-document';
import { balancer, createBalancerBody, rebalanceBody, updateBalancerBody } from './balancer';
import { liveness, readiness } from './health';
import { createMemberBody, drainBody, member, updateMemberBody } from './member';
import { revision, revisionListQuery, revisionParams, revisionSummary } from './revision';
import { me, type Role } from './role';
import { createRouteBody, route, updateRouteBody } from './route';
import { statsView } from './stats';
import { agentToken, apiToken, createAgentTokenBody, createApiTokenBody, createdAgentToken, createdApiToken } from './token';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Problem answers an operation may give (each an application/problem+json Problem). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 503;

/** What a success carries: JSON (the default), server-sent events whose data is `response`, or Prometheus text. */
export type Media = 'application/json' | 'text/event-stream' | 'text/plain; version=0.0.4';

/** One REST operation: everything the control plane routes, checks and documents about it. */
export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI-style path, prefix included: `/api/v1/balancers/{id}`. */
  path: string;
  /** Weakest role allowed, or public (no token). */
  role: Role | 'public';
  /** OpenAPI tag: the resource. */
  tag: string;
  summary: string;
  description?: string;
  /** Path parameters, when they are not plain strings. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Status of a success. */
  status: 200 | 201;
  /** Schema of a success's body (for an event stream: of each event's data). */
  response: z.ZodType;
  media?: Media;
  /**
   * A configuration write: it makes a revision (answered in `Switchboard-Revision`), accepts
   * `If-Match: <revision>` (412 when stale) and `?dryRun=true`.
   */
  write?: boolean;
  /**
   * A whole-configuration write (PUT /config, rollback): its answer is always a ConfigChange. An
   * entity write answers its resource, or with `?dryRun=true` the ConfigChange it would make.
   */
  whole?: boolean;
  /** The body (and, for a read, the answer) may also be a YAML text (`application/yaml`). */
  yaml?: boolean;
  /**
   * The answer is written in its schema's input form, a document that can be sent back as it is
   * (GET /config → PUT /config): documented as a reference to that schema's named component.
   */
  responseAsInput?: boolean;
  /** Problem answers, when not the ones `problemStatuses` derives. */
  problems?: readonly ProblemStatus[];
}

/** An operation of the table, with its operation id (the table's key). */
export type Operation = OperationSpec & { readonly id: string };

/** The table with each entry's key as its `id`. */
function withIds<T extends Record<string, OperationSpec>>(specs: T): { [K in keyof T]: T[K] & { readonly id: K } } {
  return Object.fromEntries(Object.entries(specs).map(([id, spec]) => [id, { ...spec, id }])) as { [K in keyof T]: T[K] & { readonly id: K } };
}

/**
 * Every REST operation of the control plane, by operation id. The control plane routes each one
 * with `@Endpoint(operations.<id>)`, the OpenAPI document and the typed client are generated
 * from it, and a test checks that routes and table agree. Adding an operation: one entry here,
 * one decorated controller method, then `npm run api:generate`.
 */
export const operations = withIds({
  listBalancers: { method: 'get', path: '/api/v1/balancers', role: 'viewer', tag: 'balancers', summary: 'List balancers', description: 'By name.', status: 200, response: z.array(balancer) },
  createBalancer: { method: 'post', path: '/api/v1/balancers', role: 'admin', tag: 'balancers', summary: 'Create a balancer', body: createBalancerBody, status: 201, response: balancer, write: true },
  getBalancer: { method: 'get', path: '/api/v1/balancers/{id}', role: 'viewer', tag: 'balancers', summary: 'Get a balancer', status: 200, response: balancer },
  updateBalancer: { method: 'patch', path: '/api/v1/balancers/{id}', role: 'admin', tag: 'balancers', summary: 'Change a balancer', body: updateBalancerBody, status: 200, response: balancer, write: true },
  deleteBalancer: {
    method: 'delete',
    path: '/api/v1/balancers/{id}',
    role: 'admin',
    tag: 'balancers',
    summary: 'Delete a balancer and its members',
    description: 'Refused (409) while routes point to it. Answers the deleted balancer.',
    status: 200,
    response: balancer,
    write: true,
  },
  rebalanceBalancer: {
    method: 'post',
    path: '/api/v1/balancers/{id}/rebalance',
    role: 'operator',
    tag: 'balancers',
    summary: 'Rebalance open tunnels',
    description: "After a scale-out: agents close a paced fraction of tunnels (close 1012) on members above their fair share until all are within the tolerance. The balancer's rebalance shows the request.",
    body: rebalanceBody,
    status: 200,
    response: balancer,
    write: true,
  },
  listMembers: { method: 'get', path: '/api/v1/balancers/{balancerId}/members', role: 'viewer', tag: 'members', summary: 'List the members of a balancer', description: 'With their drain progress.', status: 200, response: z.array(member) },
  createMember: { method: 'post', path: '/api/v1/balancers/{balancerId}/members', role: 'admin', tag: 'members', summary: 'Add a member', body: createMemberBody, status: 201, response: member, write: true },
  getMember: { method: 'get', path: '/api/v1/balancers/{balancerId}/members/{id}', role: 'viewer', tag: 'members', summary: 'Get a member', description: 'With its drain progress.', status: 200, response: member },
  updateMember: {
    method: 'patch',
    path: '/api/v1/balancers/{balancerId}/members/{id}',
    role: 'operator',
    tag: 'members',
    summary: 'Change a member',
    description: 'Operators may change state and weight; other fields need an admin (403).',
    body: updateMemberBody,
    status: 200,
    response: member,
    write: true,
  },
  drainMember: {
    method: 'post',
    path: '/api/v1/balancers/{balancerId}/members/{id}/drain',
    role: 'operator',
    tag: 'members',
    summary: 'Drain a member',
    description: "No new tunnels; with deadlineMs, open tunnels are closed paced (close 1001) by then. The member's drain shows the progress. Draining again restarts the drain's clock.",
    body: drainBody,
    status: 200,
    response: member,
    write: true,
  },
  deleteMember: { method: 'delete', path: '/api/v1/balancers/{balancerId}/members/{id}', role: 'admin', tag: 'members', summary: 'Remove a member', description: 'Answers the removed member.', status: 200, response: member, write: true },
  listRoutes: { method: 'get', path: '/api/v1/routes', role: 'viewer', tag: 'routes', summary: 'List routes', status: 200, response: z.array(route) },
  createRoute: { method: 'post', path: '/api/v1/routes', role: 'admin', tag: 'routes', summary: 'Create a route', body: createRouteBody, status: 201, response: route, write: true },
  getRoute: { method: 'get', path: '/api/v1/routes/{id}', role: 'viewer', tag: 'routes', summary: 'Get a route', status: 200, response: route },
  updateRoute: { method: 'patch', path: '/api/v1/routes/{id}', role: 'admin', tag: 'routes', summary: 'Change a route', body: updateRouteBody, status: 200, response: route, write: true },
  deleteRoute: { method: 'delete', path: '/api/v1/routes/{id}', role: 'admin', tag: 'routes', summary: 'Delete a route', description: 'Answers the deleted route.', status: 200, response: route, write: true },
  listAgents: { method: 'get', path: '/api/v1/agents', role: 'viewer', tag: 'agents', summary: 'List agents', description: 'Every agent ever registered, by name, with its sync status: applied revision, last seen, online.', status: 200, response: z.array(agent) },
  getStats: { method: 'get', path: '/api/v1/stats', role: 'viewer', tag: 'stats', summary: 'Live figures', description: 'Per member of the latest configuration: figures summed over online agents, and per agent.', status: 200, response: statsView },
  streamStats: {
    method: 'get',
    path: '/api/v1/stats/stream',
    role: 'viewer',
    tag: 'stats',
    summary: 'Live figures as server-sent events',
    description:
      'Events `stats` whose data is the body of GET /api/v1/stats: at once, every second and right after each configuration change. The stream ends when its token is revoked (through any replica) and when the control plane shuts down.',
    status: 200,
    response: statsView,
    media: 'text/event-stream',
  },
  listRevisions: { method: 'get', path: '/api/v1/revisions', role: 'viewer', tag: 'revisions', summary: 'List revisions', description: 'Newest first, without their configuration.', query: revisionListQuery, status: 200, response: z.array(revisionSummary) },
  getRevision: { method: 'get', path: '/api/v1/revisions/{number}', role: 'viewer', tag: 'revisions', summary: 'Get a revision', description: 'With its whole configuration, as agents were sent it.', params: revisionParams, status: 200, response: revision },
  getRevisionDiff: {
    method: 'get',
    path: '/api/v1/revisions/{a}/diff/{b}',
    role: 'viewer',
    tag: 'revisions',
    summary: 'Diff two revisions',
    description: 'From revision a to revision b (either order): the changes per balancer, member and route, and the unified diff of their YAML exports.',
    params: revisionDiffParams,
    status: 200,
    response: configDiff,
  },
  rollbackRevision: {
    method: 'post',
    path: '/api/v1/revisions/{number}/rollback',
    role: 'admin',
    tag: 'revisions',
    summary: 'Roll back to a revision',
    description: "A new revision whose configuration equals revision number's, hash for hash (audit action revision.rollback). Ids and running drains of what it keeps survive.",
    params: revisionNumberParams,
    status: 200,
    response: configChange,
    write: true,
    whole: true,
  },
  getConfig: {
    method: 'get',
    path: '/api/v1/config',
    role: 'viewer',
    tag: 'config',
    summary: 'Export the whole configuration',
    description: 'Balancers keyed by name, routes naming their balancer; ids only with ids=true. JSON, or YAML with Accept: application/yaml. Switchboard-Revision names the revision exported.',
    query: configExportQuery,
    status: 200,
    response: configDocument,
    responseAsInput: true,
    yaml: true,
  },
  putConfig: {
    method: 'put',
    path: '/api/v1/config',
    role: 'admin',
    tag: 'config',
    summary: 'Apply a whole configuration',
    description:
      'Declaratively, as one revision (audit action config.apply): what the document leaves out is deleted; balancers match by name, members by id or URL, routes by id or (host, match, websocket), so ids and running drains survive. JSON, or YAML with Content-Type: application/yaml, up to 1 MiB. A document equal to the configuration writes nothing.',
    body: configDocument,
    status: 200,
    response: configChange,
    write: true,
    whole: true,
    yaml: true,
  },
  listAuditEvents: {
    method: 'get',
    path: '/api/v1/audit',
    role: 'viewer',
    tag: 'audit',
    summary: 'List audit events',
    description: 'Newest first, filtered by actor, action and target prefix and time, paged with nextCursor. Never editable.',
    query: auditQuery,
    status: 200,
    response: auditPage,
  },
  createApiToken: { method: 'post', path: '/api/v1/tokens', role: 'admin', tag: 'tokens', summary: 'Create an API token', description: 'The answer is the only time the secret is shown.', body: createApiTokenBody, status: 201, response: createdApiToken },
  listApiTokens: { method: 'get', path: '/api/v1/tokens', role: 'admin', tag: 'tokens', summary: 'List API tokens', description: 'Oldest first, revoked ones included; never their secrets.', status: 200, response: z.array(apiToken) },
  revokeApiToken: {
    method: 'delete',
    path: '/api/v1/tokens/{id}',
    role: 'admin',
    tag: 'tokens',
    summary: 'Revoke an API token',
    description: 'Its open live streams end at once on every replica. The row stays, for the audit trail.',
    status: 200,
    response: apiToken,
  },
  createAgentToken: { method: 'post', path: '/api/v1/agent-tokens', role: 'admin', tag: 'tokens', summary: 'Create an agent enrollment token', description: 'For SWITCHBOARD_AGENT_TOKEN; the answer is the only time the secret is shown.', body: createAgentTokenBody, status: 201, response: createdAgentToken },
  listAgentTokens: { method: 'get', path: '/api/v1/agent-tokens', role: 'admin', tag: 'tokens', summary: 'List agent enrollment tokens', description: 'Oldest first, revoked ones included; never their secrets.', status: 200, response: z.array(agentToken) },
  revokeAgentToken: {
    method: 'delete',
    path: '/api/v1/agent-tokens/{id}',
    role: 'admin',
    tag: 'tokens',
    summary: 'Revoke an agent enrollment token',
    description: 'Every agent connected with it, on any replica, gets close 4403 at once; its next handshakes are refused (401).',
    status: 200,
    response: agentToken,
  },
  getMe: { method: 'get', path: '/api/v1/me', role: 'viewer', tag: 'auth', summary: 'The calling token', description: 'Its id, name and role: what a client may offer its user.', status: 200, response: me },
  getLiveness: { method: 'get', path: '/healthz', role: 'public', tag: 'health', summary: 'Liveness', description: 'The process answers (whatever the state of Postgres).', status: 200, response: liveness, problems: [] },
  getReadiness: { method: 'get', path: '/readyz', role: 'public', tag: 'health', summary: 'Readiness', description: 'Postgres answers too; 503 otherwise.', status: 200, response: readiness, problems: [503] },
  getMetrics: { method: 'get', path: '/metrics', role: 'public', tag: 'health', summary: 'Prometheus metrics', status: 200, response: z.string(), media: 'text/plain; version=0.0.4', problems: [] },
});

/** Every operation of the table, in table order. */
export const operationList: readonly Operation[] = Object.values(operations);

/** Names of the path parameters of an OpenAPI-style path: `/api/v1/balancers/{id}` → `['id']`. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
}

/**
 * The problem answers of an operation: its own list when it gives one, else 400 for what it
 * validates (body, query, typed parameters, If-Match), 401/403 unless public, 404 with path
 * parameters, 409/412 for configuration writes, and 503 (database unavailable).
 */
export function problemStatuses(op: OperationSpec): ProblemStatus[] {
  if (op.problems) return [...op.problems];
  const statuses: ProblemStatus[] = [];
  if (op.body || op.query || op.params || op.write) statuses.push(400);
  if (op.role !== 'public') statuses.push(401, 403);
  if (pathParams(op.path).length > 0) statuses.push(404);
  if (op.write) statuses.push(409, 412);
  statuses.push(503);
  return statuses;
}
