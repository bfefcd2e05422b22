import { operationList, pathParams, problem, problemStatuses, REVISION_HEADER, type Operation, type ProblemStatus } from '@switchboard/protocol';
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from 'zod-openapi';

/** An OpenAPI document as zod-openapi writes it. */
export type OpenApiDocument = ReturnType<typeof createDocument>;

/** `info.version` of the document: the REST API's major version (the `v1` of its paths). */
const API_VERSION = '1';

const retryAfterHeader = z.object({ 'Retry-After': z.string().regex(/^\d+$/).describe('Seconds to wait before retrying') });

/** A problem answer, registered once as a response component (zod-openapi wants the same object each time). */
const problemAnswer = (id: string, description: string, headers?: z.ZodObject): ZodOpenApiResponseObject => ({
  id,
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/problem+json': { schema: problem } },
});

const PROBLEM_ANSWERS: Record<ProblemStatus, ZodOpenApiResponseObject> = {
  400: problemAnswer('BadRequest', 'Bad input: errors names every offending field; nothing was written'),
  401: problemAnswer('Unauthorized', 'No bearer token, or an unknown or revoked one'),
  403: problemAnswer('Forbidden', "The token's role may not do this"),
  404: problemAnswer('NotFound', 'No such resource'),
  409: problemAnswer('Conflict', 'The change conflicts with the configuration (a name or URL taken, a balancer still routed to, an inconsistent result)'),
  412: problemAnswer('PreconditionFailed', 'If-Match names a revision that is no longer the current one; nothing was written'),
  503: problemAnswer('Unavailable', 'The database is unavailable; retry after Retry-After seconds', retryAfterHeader),
};

/** Request parts every configuration write accepts (../shared/API.md). */
const writeQuery = z.object({
  dryRun: z.enum(['true', 'false']).optional().describe('true: nothing is written and no revision is made; the answer is the change the write would make'),
});
const writeHeaders = z.object({
  'If-Match': z.string().regex(/^"?\d{1,9}"?$/).optional().describe('The revision the write expects to be current (12 or "12"); another one answers 412'),
});
const revisionHeader = z.object({ [REVISION_HEADER]: z.string().regex(/^\d+$/).describe('The revision the write made') });

/**
 * The OpenAPI 3.1 document of the control plane, generated from the contract's operations table:
 * one entry per operation, every request and response schema (named components from the schemas'
 * `.meta({ id })`), problem answers, roles and the bearer scheme. Pure and deterministic: the
 * control plane serves it at /api/openapi.json and `npm run api:generate` commits it with the
 * typed client (libs/api-client).
 */
export function buildOpenApiDocument(): OpenApiDocument {
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard',
        version: API_VERSION,
        description:
          'The control plane of Switchboard: balancers, members, routes, revisions, agents and live figures. Every configuration write makes a numbered revision (Switchboard-Revision) and accepts If-Match; errors are RFC 9457 problem+json.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (sb_…); its role decides what it may do' } } },
      tags: [...new Set(operationList.map((op) => op.tag))].map((name) => ({ name })),
      paths: pathsOf(operationList),
    },
    { override: dropDateTimePattern },
  );
}

function pathsOf(ops: readonly Operation[]): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of ops) paths[op.path] = { ...paths[op.path], [op.method]: operationObject(op) };
  return paths;
}

function operationObject(op: Operation): ZodOpenApiOperationObject {
  const roleNote = op.role === 'public' ? 'No token needed.' : `Role: ${op.role}.`;
  return {
    operationId: op.id,
    summary: op.summary,
    description: [op.description, roleNote].filter(Boolean).join(' '),
    tags: [op.tag],
    security: op.role === 'public' ? [] : [{ bearer: [] }],
    ...requestParams(op),
    ...(op.body ? { requestBody: { required: !op.body.safeParse({}).success, content: { 'application/json': { schema: op.body } } } } : {}),
    responses: {
      [op.status]: successAnswer(op),
      ...Object.fromEntries(problemStatuses(op).map((status) => [status, PROBLEM_ANSWERS[status]])),
    },
  };
}

/** Path parameters (strings unless the operation types them), query (with dryRun on writes) and If-Match on writes. */
function requestParams(op: Operation): Pick<ZodOpenApiOperationObject, 'requestParams'> {
  const names = pathParams(op.path);
  const params = {
    ...(names.length > 0 ? { path: op.params ?? z.object(Object.fromEntries(names.map((name) => [name, z.string()]))) } : {}),
    ...(op.query || op.write ? { query: z.object({ ...op.query?.shape, ...(op.write ? writeQuery.shape : {}) }) } : {}),
    ...(op.write ? { header: writeHeaders } : {}),
  };
  return Object.keys(params).length > 0 ? { requestParams: params } : {};
}

function successAnswer(op: Operation): ZodOpenApiResponseObject {
  const media = op.media ?? 'application/json';
  const schema = media === 'text/event-stream' ? z.string().describe(`Events whose data is a ${String(op.response.meta()?.id ?? 'JSON document')}`) : op.response;
  return {
    description: op.summary,
    ...(op.write ? { headers: revisionHeader } : {}),
    content: { [media]: { schema } },
  };
}

/** Zod writes a long regular expression beside `format: date-time`; the format says it all. */
function dropDateTimePattern({ jsonSchema }: { jsonSchema: { format?: string; pattern?: string } }): void {
  if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
}
