import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { ProblemDetails } from '@switchboard/protocol';
import type { Request, Response } from 'express';
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS } from './database-errors';
import { Problem } from './problem';

/** At most one log line per this many ms about requests failing for lack of a database. */
const UNAVAILABLE_LOG_EVERY_MS = 5_000;

/**
 * The one exception filter: every error leaves as application/problem+json. Known problems keep
 * their status and detail; Nest's HttpExceptions (404 for an unknown path, 413 for a large body)
 * keep their status; a database outage (see database-errors.ts) is a 503
 * `urn:switchboard:problem:unavailable`; anything else is a bare 500 whose cause is logged,
 * never sent. Every 503 carries `Retry-After` (RFC 9110 §10.2.3).
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');
  private lastUnavailableLog = 0;

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toBody(error, request);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (body.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(body.status).type('application/problem+json').json(body);
  }

  private toBody(error: unknown, request: Request): ProblemDetails {
    if (error instanceof Problem) return error.toBody();
    if (isDatabaseUnavailable(error)) return this.unavailable(error, request);
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return { type: 'about:blank', title: error.name, status, detail: error.message };
    }
    this.logger.error(`${request.method} ${request.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'internal error; see the control plane log' };
  }

  private unavailable(error: unknown, request: Request): ProblemDetails {
    if (Date.now() - this.lastUnavailableLog >= UNAVAILABLE_LOG_EVERY_MS) {
      this.lastUnavailableLog = Date.now();
      const cause = error instanceof Error ? error.message.trim().split('\n').pop() : String(error);
      this.logger.warn(`${request.method} ${request.url}: database unavailable, answering 503 (${cause}); further ones are not logged for ${UNAVAILABLE_LOG_EVERY_MS / 1000} s`);
    }
    return new Problem('unavailable', 'the database is unavailable; retry later').toBody();
  }
}
