import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { configChange, describeIssues, type Operation } from '@switchboard/protocol';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import type { z } from 'zod';
import { OPERATION_KEY } from './endpoint';

/**
 * Why `body` is not what `schema` promises once serialised as JSON (Dates become ISO strings,
 * undefined fields vanish), or null when it is: the zod issues, or the fields present on the
 * wire that the schema does not declare (its objects are documented as closed).
 */
export function responseMismatch(schema: z.ZodType, body: unknown): string | null {
  const wire: unknown = body === undefined ? undefined : JSON.parse(JSON.stringify(body));
  const result = schema.safeParse(wire);
  if (!result.success) return describeIssues(result.error);
  const undeclared = undeclaredFields(wire, result.data, '');
  return undeclared.length > 0 ? `undeclared fields: ${undeclared.join(', ')}` : null;
}

/** Paths of the object keys in `wire` that parsing dropped (zod objects strip unknown keys). */
function undeclaredFields(wire: unknown, parsed: unknown, path: string): string[] {
  if (Array.isArray(wire) && Array.isArray(parsed)) return wire.flatMap((item, i) => undeclaredFields(item, parsed[i], `${path}${i}.`));
  if (!isRecord(wire) || !isRecord(parsed)) return [];
  return Object.keys(wire).flatMap((key) => (key in parsed ? undeclaredFields(wire[key], parsed[key], `${path}${key}.`) : [`${path}${key}`]));
}

/** True unless the handler chose another content type (an answer negotiated as YAML, say). */
function isJson(contentType: ReturnType<Response['getHeader']>): boolean {
  return typeof contentType !== 'string' || /[/+]json\b/.test(contentType);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * With SWITCHBOARD_CHECK_RESPONSES=1 (every whole-stack test sets it): checks each success body
 * (for an event stream, each event's data) against its operation's response schema. A mismatch
 * throws, so the client gets a 500 and the log names the operation and the issues: the test
 * suite proves the published schemas true. Text answers (metrics, or a handler that set
 * another content type) are not checked.
 */
@Injectable()
export class ResponseCheckInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const op = this.reflector.get<Operation | undefined>(OPERATION_KEY, context.getHandler());
    const media = op?.media ?? 'application/json';
    if (!op || (media !== 'application/json' && media !== 'text/event-stream')) return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const schema = op.write && request.query.dryRun === 'true' ? configChange : op.response;
    const check = (body: unknown): void => {
      const mismatch = responseMismatch(schema, body);
      if (mismatch) throw new Error(`response of ${op.id} (${request.method} ${request.originalUrl}) does not match its schema: ${mismatch}`);
    };
    return next.handle().pipe(
      map((value: unknown) => {
        if (media === 'text/event-stream') check((value as { data: unknown }).data);
        else if (isJson(response.getHeader('content-type'))) check(value);
        return value;
      }),
    );
  }
}
