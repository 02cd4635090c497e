import { z } from 'zod';

/**
 * The user a session holds: a small snapshot of FusionAuth's user (not the whole object), with the
 * roles of this application only.
 */
export const sessionUser = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    roles: z.array(z.string()),
  })
  .meta({ id: 'SessionUser' });
export type SessionUser = z.infer<typeof sessionUser>;

/** `GET /api/user`: who is signed in, and when the session ends if idle and at the latest. */
export const currentSession = z
  .object({
    user: sessionUser,
    session: z.object({ expiresAt: z.iso.datetime(), absoluteExpiresAt: z.iso.datetime() }),
  })
  .meta({ id: 'CurrentSession' });
export type CurrentSession = z.infer<typeof currentSession>;

/**
 * How a session was signed in: `password` with the app's embedded form, `fusionauth` on FusionAuth's
 * hosted login page, `single_sign_on` through FusionAuth's SSO session, without a form.
 */
export const signInMethod = z.enum(['password', 'fusionauth', 'single_sign_on']).meta({ id: 'SignInMethod' });
export type SignInMethod = z.infer<typeof signInMethod>;

/** One of the user's sessions in this app, named by the hash it is stored under, never by its id. */
export const sessionSummary = z
  .object({
    id: z.string(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    ip: z.string(),
    userAgent: z.string().meta({ description: 'The browser and system the session was started with.' }),
    current: z.boolean(),
    signedInWith: signInMethod,
  })
  .meta({ id: 'SessionSummary' });
export type SessionSummary = z.infer<typeof sessionSummary>;

/** The most sessions one page of the list holds. */
export const sessionPageLimit = 100;

/** Which page of the list: `limit` sessions from `offset` (the current session first, then the most recently seen). */
export const sessionPage = z.object({
  offset: z.coerce.number().int().min(0).default(0).meta({ description: 'How many sessions to skip' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(sessionPageLimit)
    .default(50)
    .meta({ description: `How many sessions to answer, at most ${sessionPageLimit}` }),
});
export type SessionPage = z.infer<typeof sessionPage>;

export const sessionList = z
  .object({
    sessions: z.array(sessionSummary),
    total: z.number().int().meta({ description: 'How many sessions the user has in this app' }),
    nextOffset: z.number().int().optional().meta({ description: 'The offset of the next page, when there is one' }),
  })
  .meta({ id: 'SessionList' });
export type SessionList = z.infer<typeof sessionList>;

export const logoutBody = z.object({ everywhere: z.boolean().optional() }).nullish();
