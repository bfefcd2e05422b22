import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { dryRunQuery, REVISION_HEADER, type ConfigChange } from '@switchboard/protocol';
import type { Response } from 'express';
import type { AuthedRequest } from '../auth/auth.guard';
import type { WriteOutcome } from '../revisions/revisions.service';
import { Problem } from './problem';

/**
 * Who writes and how: the token's name, the parsed If-Match revision, and whether the write is
 * a dry run (`?dryRun=true`: run, answer the diff, write nothing).
 */
export interface WriteContext {
  actor: string;
  ifMatch?: number;
  dryRun: boolean;
}

/**
 * Parameter decorator giving a WriteContext, for every configuration write. `If-Match: 12` or
 * `If-Match: "12"` names a revision; `?dryRun=true` (or `false`) asks for a dry run.
 * @throws Problem `validation` (400) for an If-Match that is not a revision number, or a dryRun that is not true or false.
 */
export const Write = createParamDecorator((_: unknown, context: ExecutionContext): WriteContext => {
  const request = context.switchToHttp().getRequest<AuthedRequest>();
  return { actor: request.principal.name, ...ifMatchOf(request.headers['if-match']), dryRun: dryRunOf(request.query) };
});

function ifMatchOf(raw: string | undefined): { ifMatch?: number } {
  if (raw === undefined) return {};
  const match = /^\s*"?(\d{1,9})"?\s*$/.exec(raw);
  if (!match) throw new Problem('validation', 'If-Match must be a revision number', [{ path: 'If-Match', message: 'must be a revision number such as 12' }]);
  return { ifMatch: Number(match[1]) };
}

function dryRunOf(query: unknown): boolean {
  const parsed = dryRunQuery.safeParse(query);
  if (!parsed.success) throw new Problem('validation', 'dryRun must be true or false', [{ path: 'dryRun', message: 'must be true or false' }]);
  return parsed.data.dryRun === 'true';
}

/**
 * The answer of an entity write: the written resource with `Switchboard-Revision` set; for a
 * dry run, HTTP 200 with the ConfigChange it would make and no revision header.
 */
export function answerWrite<T>(response: Response, outcome: WriteOutcome<T>): T | ConfigChange {
  if (outcome.change?.dryRun) {
    response.status(200);
    return outcome.change;
  }
  response.setHeader(REVISION_HEADER, String(outcome.revision));
  return outcome.result;
}

/**
 * The answer of a whole-configuration write (PUT /config, rollback): its ConfigChange, with
 * `Switchboard-Revision` naming the revision now in effect unless it is a dry run.
 */
export function answerChange(response: Response, outcome: WriteOutcome<unknown>): ConfigChange {
  if (!outcome.change) throw new Error('a whole-configuration write always carries its change');
  if (!outcome.change.dryRun) response.setHeader(REVISION_HEADER, String(outcome.revision));
  return outcome.change;
}
