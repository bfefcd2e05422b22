import { configChange, operationList, pathParams, problem, problemStatuses, REVISION_HEADER, type Operation, type ProblemStatus } from '@switchboard/protocol';
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
    ...(op.body ? { requestBody: { required: !op.body.safeParse({}).success, content: requestContent(op) } } : {}),
    responses: {
      ...dryRunAnswer(op),
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

/** YAML text as a request body or an answer (`yaml` operations: the configuration document). */
const yamlText = z.string().describe('The same document as YAML');

function requestContent(op: Operation) {
  return { 'application/json': { schema: op.body }, ...(op.yaml ? { 'application/yaml': { schema: yamlText } } : {}) };
}

/**
 * The answer of an entity write with `?dryRun=true`: the ConfigChange it would make. A create
 * (201) documents it as its own 200; a 200 write answers either shape (successAnswer).
 */
function dryRunAnswer(op: Operation): Record<number, ZodOpenApiResponseObject> {
  if (!op.write || op.whole || op.status !== 201) return {};
  return { 200: { description: 'Dry run (dryRun=true): the change the write would make; nothing was written', content: { 'application/json': { schema: configChange } } } };
}

function successAnswer(op: Operation): ZodOpenApiResponseObject {
  const media = op.media ?? 'application/json';
  return {
    description: op.summary,
    ...(op.write ? { headers: revisionHeader } : {}),
    content: { [media]: { schema: successSchema(op, media) }, ...(op.yaml && !op.body ? { 'application/yaml': { schema: yamlText } } : {}) },
  };
}

function successSchema(op: Operation, media: string): z.ZodType {
  if (media === 'text/event-stream') return z.string().describe(`Events whose data is a ${String(op.response.meta()?.id ?? 'JSON document')}`);
  if (op.responseAsInput) return z.unknown().meta({ override: { $ref: `#/components/schemas/${String(op.response.meta()?.id)}` } });
  if (op.write && !op.whole && op.status === 200) return z.union([op.response, configChange]).describe('The written resource, or with dryRun=true the ConfigChange the write would make');
  return op.response;
}

/** Zod writes a long regular expression beside `format: date-time`; the format says it all. */
function dropDateTimePattern({ jsonSchema }: { jsonSchema: { format?: string; pattern?: string } }): void {
  if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
}
