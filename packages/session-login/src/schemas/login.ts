import { z } from 'zod';
import { sessionUser } from './session.js';

/** `POST /api/login`: the embedded form's credentials, passed on to FusionAuth and never kept. */
export const credentials = z
  .object({
    loginId: z.string().trim().min(1, 'enter your email address').max(320),
    password: z.string().min(1, 'enter your password').max(1024),
  })
  .meta({ id: 'Credentials' });
export type Credentials = z.infer<typeof credentials>;

/** `POST /api/login/two-factor`: the code from the user's authenticator app. */
export const twoFactorCode = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'enter the six-digit code from your authenticator app'),
  })
  .meta({ id: 'TwoFactorCode' });
export type TwoFactorCode = z.infer<typeof twoFactorCode>;

/** A sign-in that created a session. */
export const signedIn = z.object({ user: sessionUser }).meta({ id: 'SignedIn' });
export type SignedIn = z.infer<typeof signedIn>;

/** The password was right and a second factor is needed; the pending sign-in stays on the server. */
export const twoFactorRequired = z
  .object({
    code: z.literal('two_factor_required'),
    message: z.string(),
    methods: z.array(z.object({ id: z.string(), method: z.string() })),
  })
  .meta({ id: 'TwoFactorRequired' });
export type TwoFactorRequired = z.infer<typeof twoFactorRequired>;

/**
 * The password was right and FusionAuth requires a new one before the sign-in completes (its 203);
 * FusionAuth's `changePasswordId` stays on the server, in the pre-login session.
 */
export const passwordChangeRequired = z
  .object({ code: z.literal('password_change_required'), message: z.string() })
  .meta({ id: 'PasswordChangeRequired' });
export type PasswordChangeRequired = z.infer<typeof passwordChangeRequired>;

/** `202` of a sign-in: one more step before the session starts, named by `code`. */
export const signInContinues = z
  .discriminatedUnion('code', [twoFactorRequired, passwordChangeRequired])
  .meta({ id: 'SignInContinues' });
export type SignInContinues = z.infer<typeof signInContinues>;

/**
 * The ways of signing in an app may offer: `native` is the SPA's own form posting to its backend,
 * `oauth` is FusionAuth's hosted login page (authorization code grant, with SSO between the apps).
 */
export const loginFlowName = z.enum(['native', 'oauth']).meta({ id: 'LoginFlow' });
export type LoginFlowName = z.infer<typeof loginFlowName>;

/** `GET /api/login-flows`: the flows this app offers, in its configured order (the first is the default). */
export const loginFlowList = z.object({ flows: z.array(loginFlowName) }).meta({ id: 'LoginFlows' });
export type LoginFlowList = z.infer<typeof loginFlowList>;
