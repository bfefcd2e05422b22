import { Injectable, PipeTransform } from '@nestjs/common';
import { issueFieldErrors, type FieldError } from '@switchboard/protocol';
import type { z } from 'zod';
import { Problem } from './problem';

/**
 * Turns zod issues into field errors: `{ path: "timeouts.connectMs", message }`. Keys a strict
 * object does not know are named one by one (`{ path: "timeouts.bogus", message: "unknown field" }`),
 * so that a misspelt field or query parameter is pointed at rather than its parent.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return issueFieldErrors(error, 'unknown field: not one this request takes');
}

/**
 * Validates a request part with a zod schema and returns the parsed value.
 * @throws Problem `validation` (400) naming every offending field; nothing reaches the service.
 */
@Injectable()
export class ZodPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(private readonly schema: T) {}

  transform(value: unknown): z.infer<T> {
    const result = this.schema.safeParse(value ?? {});
    if (result.success) return result.data;
    const errors = fieldErrors(result.error);
    throw new Problem('validation', `${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.path).join(', ')}`, errors);
  }
}
