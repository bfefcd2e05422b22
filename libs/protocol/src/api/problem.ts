import { z } from 'zod';

/** One offending field of a request. */
export const fieldError = z
  .object({
    path: z.string().describe('Dotted path of the field in the request body (timeouts.connectMs, members.0.url), a query parameter, or a header name (If-Match); (body) for the body as a whole'),
    message: z.string().describe('What is wrong with it'),
  })
  .meta({ id: 'FieldError', description: 'One offending field of a request' });
export type FieldError = z.infer<typeof fieldError>;

/** One issue of a failed zod parse. */
export type Issue = z.ZodError['issues'][number];

/**
 * The field errors of a failed zod parse, as problem+json `errors`: one per issue at its dotted
 * path (`timeouts.connectMs`; `(body)` for the value as a whole), except that each key a strict
 * object does not know is named by its own path (`timeouts.bogus`) with `unknownKeyMessage`, so a
 * misspelt field or query parameter is pointed at rather than its parent. `describe` words the
 * other issues (default: zod's message).
 */
export function issueFieldErrors(error: z.ZodError, unknownKeyMessage: string, describe: (issue: Issue) => string = (issue) => issue.message): FieldError[] {
  const at = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(body)';
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: unknownKeyMessage })) : [{ path: at(issue.path), message: describe(issue) }],
  );
}

/** RFC 9457 problem details: every error the API answers, as `application/problem+json`. */
export const problem = z
  .object({
    type: z.string().describe('urn:switchboard:problem:<code> (validation, unauthorized, forbidden, not-found, conflict, precondition-failed, unavailable), or about:blank'),
    title: z.string().describe('Short summary of the kind of problem'),
    status: z.number().int().min(400).max(599).describe('The HTTP status'),
    detail: z.string().describe('What went wrong in this request'),
    errors: z.array(fieldError).optional().describe('Every offending field, for bad input (400) and some conflicts (409)'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details, sent as application/problem+json' });
export type ProblemDetails = z.infer<typeof problem>;
