import type { z } from 'zod';
import { generalError } from './api-error.js';

/**
 * Reads a request body against its schema. A body of the wrong shape is what FusionAuth's JSON
 * binding rejects, so it gets FusionAuth's `[invalidJSON]` answer naming the property; missing
 * values are left to the route, which answers them with `[blank]` field errors.
 */
export function readBody<Schema extends z.ZodType>(schema: Schema, body: unknown): z.infer<Schema> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const property = issue?.path.join('.') || 'body';
  throw generalError(
    '[invalidJSON]',
    `Unable to parse JSON. The property [${property}] is invalid: ${issue?.message ?? 'unexpected value'}.`,
  );
}
