import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Problem } from './problem';

/**
 * The one exception filter: every error leaves as application/problem+json. Known problems keep
 * their status and detail; Nest's HttpExceptions (404 for an unknown path, 413 for a large body)
 * keep their status; anything else is a bare 500 whose cause is logged, never sent.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toBody(error, request);
    if (response.headersSent) {
      response.end();
      return;
    }
    response.status(body.status as number).type('application/problem+json').json(body);
  }

  private toBody(error: unknown, request: Request): Record<string, unknown> {
    if (error instanceof Problem) return error.toBody();
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return { type: 'about:blank', title: error.name, status, detail: error.message };
    }
    this.logger.error(`${request.method} ${request.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'internal error; see the control plane log' };
  }
}
