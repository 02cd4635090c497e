import { z } from 'zod';

/** `{ code, message }`: the body of every answer that is not a success. */
export const errorBody = z.object({ code: z.string(), message: z.string() });

export const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  roles: z.array(z.string()),
});
