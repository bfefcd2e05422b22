import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { REVISION_HEADER } from '@switchboard/protocol';
import type { Response } from 'express';
import type { AuthedRequest } from '../auth/auth.guard';
import { Problem } from './problem';

/** Who writes and under which precondition: the token's name and the parsed If-Match revision. */
export interface WriteContext {
  actor: string;
  ifMatch?: number;
}

/**
 * Parameter decorator giving a WriteContext. `If-Match: 12` or `If-Match: "12"` names a revision.
 * @throws Problem `validation` (400) for an If-Match that is not a revision number.
 */
export const Write = createParamDecorator((_: unknown, context: ExecutionContext): WriteContext => {
  const request = context.switchToHttp().getRequest<AuthedRequest>();
  const raw = request.headers['if-match'];
  if (raw === undefined) return { actor: request.principal.name };
  const match = /^\s*"?(\d{1,9})"?\s*$/.exec(raw);
  if (!match) throw new Problem('validation', 'If-Match must be a revision number', [{ path: 'If-Match', message: 'must be a revision number such as 12' }]);
  return { actor: request.principal.name, ifMatch: Number(match[1]) };
});

/** Sets `Switchboard-Revision` on the response and returns the written resource. */
export function answerWrite<T>(response: Response, written: { result: T; revision: number }): T {
  response.setHeader(REVISION_HEADER, String(written.revision));
  return written.result;
}
