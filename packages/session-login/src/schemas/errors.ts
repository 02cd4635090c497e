import { z } from 'zod';

/** `{ code, message }`: the body of every answer that is not a success. */
export const errorBody = z
  .object({
    code: z
      .string()
      .meta({ description: 'What went wrong, for programs: `unauthenticated`, `validation_failed`, ...' }),
    message: z.string().meta({ description: 'What went wrong, for people.' }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof errorBody>;

/** The error answers every route may give, for its schema's `response`. */
export const errorResponses = { '4xx': errorBody, '5xx': errorBody } as const;
