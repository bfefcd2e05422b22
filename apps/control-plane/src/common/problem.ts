import { HttpException } from '@nestjs/common';
import type { FieldError, ProblemDetails } from '@switchboard/protocol';

/** Kinds of domain failure; each maps to one HTTP status in ProblemFilter. */
export type ProblemCode = 'validation' | 'not-found' | 'conflict' | 'precondition-failed' | 'unauthorized' | 'forbidden' | 'unavailable';

const STATUS: Record<ProblemCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'precondition-failed': 412,
  unavailable: 503,
};

const TITLE: Record<ProblemCode, string> = {
  validation: 'Invalid request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'precondition-failed': 'Precondition failed',
  unavailable: 'Service unavailable',
};

/**
 * A failure a client can act on, rendered as RFC 9457 problem+json:
 * `{ type: "urn:switchboard:problem:<code>", title, status, detail, errors? }`.
 */
export class Problem extends HttpException {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail, STATUS[code]);
  }

  /** The problem+json body (the contract's Problem). */
  toBody(): ProblemDetails {
    return {
      type: `urn:switchboard:problem:${this.code}`,
      title: TITLE[this.code],
      status: STATUS[this.code],
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}
