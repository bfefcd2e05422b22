import { applyDecorators, Delete, Get, Header, HttpCode, Patch, Post, Put, SetMetadata, Sse } from '@nestjs/common';
import { operationList, type HttpMethod, type Operation } from '@switchboard/protocol';
import type { z } from 'zod';
import { Auth, Public } from '../auth/roles';
import { ZodPipe } from './zod.pipe';

/** The prefix of REST paths, set once with `app.setGlobalPrefix` (app.ts). */
export const API_PREFIX = '/api/v1';

/** Metadata key under which `@Endpoint` records a handler's operation. */
export const OPERATION_KEY = 'switchboard:operation';

const ROUTE: Record<HttpMethod, (path: string) => MethodDecorator> = { get: Get, post: Post, put: Put, patch: Patch, delete: Delete };

/** An operation's path as Nest routes it: without API_PREFIX, `{id}` as `:id` (`/api/v1/balancers/{id}` → `balancers/:id`). */
export function nestPath(path: string): string {
  const local = path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length + 1) : path.slice(1);
  return local.replace(/\{(\w+)\}/g, ':$1');
}

/** Nest paths of the operations outside API_PREFIX (`healthz`, `metrics`…), for `setGlobalPrefix`'s `exclude`. */
export function unprefixedPaths(): string[] {
  return operationList.filter((op) => !op.path.startsWith(`${API_PREFIX}/`)).map((op) => nestPath(op.path));
}

/**
 * Routes a controller method as the operation `op` of the contract's table: its method and path
 * (the controller itself has no path), its success status, its role (`@Auth` or `@Public`),
 * its content type when not JSON, and the operation itself, which the response check
 * (response-check.interceptor.ts) and controllers.test.ts read back.
 */
export function Endpoint(op: Operation): MethodDecorator {
  const path = nestPath(op.path);
  const media = op.media ?? 'application/json';
  const decorators = [media === 'text/event-stream' ? Sse(path) : ROUTE[op.method](path), op.role === 'public' ? Public() : Auth(op.role), SetMetadata(OPERATION_KEY, op)];
  if (media !== 'text/event-stream') decorators.push(HttpCode(op.status));
  if (media !== 'application/json' && media !== 'text/event-stream') decorators.push(Header('Content-Type', media));
  return applyDecorators(...decorators);
}

/** The pipe validating an operation's body: `@Body(bodyOf(operations.createBalancer))`. */
export function bodyOf<S extends z.ZodType>(op: { body: S }): ZodPipe<S> {
  return new ZodPipe(op.body);
}

/** The pipe validating an operation's query: `@Query(queryOf(operations.listRevisions))`. */
export function queryOf<S extends z.ZodType>(op: { query: S }): ZodPipe<S> {
  return new ZodPipe(op.query);
}

/** The pipe validating an operation's typed path parameters: `@Param(paramsOf(operations.getRevision))`. */
export function paramsOf<S extends z.ZodType>(op: { params: S }): ZodPipe<S> {
  return new ZodPipe(op.params);
}
