// The typed client of the control plane's REST API. `schema.d.ts` and `../openapi.json` are
// generated from the operations table of libs/protocol by `npm run api:generate` (never edit
// them); a drift test fails when they no longer match it.
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

/** A client of the REST API: `client.GET('/api/v1/balancers/{id}', { params: { path: { id } } })` → `{ data, error, response }`. */
export type ApiClient = Client<paths>;

/** How to reach the API: a bearer token (none for a same-origin caller whose session adds it), and a fetch of one's own. */
export interface ApiClientOptions {
  /** API token sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Replaces the global fetch (tests, a custom TLS agent). */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * A typed client of the API at `baseUrl` (`http://127.0.0.1:4000`, or `''` for same-origin calls
 * through the dashboard). Paths, parameters, bodies and answers are typed from the OpenAPI
 * document; errors come back as `error` (a Problem), never thrown, except network failures.
 */
export function createApiClient(baseUrl: string, opts: ApiClientOptions = {}): ApiClient {
  return createClient<paths>({
    baseUrl,
    headers: { ...opts.headers, ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
}

type Schemas = components['schemas'];
export type Balancer = Schemas['Balancer'];
export type CreateBalancerBody = Schemas['CreateBalancerBody'];
export type UpdateBalancerBody = Schemas['UpdateBalancerBody'];
export type RebalanceBody = Schemas['RebalanceBody'];
export type Member = Schemas['Member'];
export type DrainProgress = Schemas['DrainProgress'];
export type CreateMemberBody = Schemas['CreateMemberBody'];
export type UpdateMemberBody = Schemas['UpdateMemberBody'];
export type DrainBody = Schemas['DrainBody'];
export type Route = Schemas['Route'];
export type CreateRouteBody = Schemas['CreateRouteBody'];
export type UpdateRouteBody = Schemas['UpdateRouteBody'];
export type Agent = Schemas['Agent'];
export type Stats = Schemas['Stats'];
export type MemberFigures = Schemas['MemberFigures'];
export type AgentFigures = Schemas['AgentFigures'];
export type RevisionSummary = Schemas['RevisionSummary'];
export type Revision = Schemas['Revision'];
export type SnapshotConfig = Schemas['SnapshotConfig'];
export type AuditEvent = Schemas['AuditEvent'];
export type AuditPage = Schemas['AuditPage'];
export type ConfigDocument = Schemas['ConfigDocument'];
export type ConfigChange = Schemas['ConfigChange'];
export type ConfigDiff = Schemas['ConfigDiff'];
export type EntityChange = Schemas['EntityChange'];
export type ApiToken = Schemas['ApiToken'];
export type AgentToken = Schemas['AgentToken'];
export type CreatedApiToken = Schemas['CreatedApiToken'];
export type CreatedAgentToken = Schemas['CreatedAgentToken'];
export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];
export type Me = Schemas['Me'];
export type Role = Schemas['Role'];
export type MemberState = Schemas['MemberState'];
export type LbMethod = Schemas['LbMethod'];
export type Health = Schemas['Health'];
export type HealthCheck = Schemas['HealthCheck'];
export type PassiveHealth = Schemas['PassiveHealth'];
export type UpstreamTls = Schemas['UpstreamTls'];
export type Rebalance = Schemas['Rebalance'];
