import { z } from 'zod';

/**
 * The parts of a User that the stand-in interprets; everything else an operator sends is kept and
 * returned unchanged, as FusionAuth keeps unknown `data`.
 */
export const twoFactorMethodInput = z
  .object({
    id: z.string().optional(),
    method: z.string().optional(),
    /** The authenticator's shared secret, base64 encoded (FusionAuth's User API format). */
    secret: z.string().optional(),
  })
  .loose();

export const userInput = z
  .object({
    id: z.string().optional(),
    email: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    active: z.boolean().optional(),
    verified: z.boolean().optional(),
    expiry: z.number().int().optional(),
    passwordChangeRequired: z.boolean().optional(),
    twoFactor: z
      .object({ methods: z.array(twoFactorMethodInput).optional() })
      .loose()
      .optional(),
    registrations: z.array(z.unknown()).optional(),
  })
  .loose();

export type UserInput = z.infer<typeof userInput>;

export const registrationInput = z
  .object({
    applicationId: z.string().optional(),
    roles: z.array(z.string()).optional(),
    verified: z.boolean().optional(),
  })
  .loose();

export type RegistrationInput = z.infer<typeof registrationInput>;
