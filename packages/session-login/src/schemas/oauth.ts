import { z } from 'zod';

import { oauthLoginErrorCodes, oauthLoginErrorMessages } from './oauth-login-errors.js';

/** The `login_error` codes as a schema (their words are in oauth-login-errors.ts). */
export const oauthLoginErrorCode = z.enum(oauthLoginErrorCodes).meta({ id: 'OAuthLoginError' });

/** The codes and their messages together, defined once for the backends and the SPAs. */
export const oauthLoginErrors = { code: oauthLoginErrorCode, messages: oauthLoginErrorMessages } as const;

/**
 * `GET /api/oauth/login`: where to come back to. Anything that is not a path of this app falls
 * back to `/` (never a 400: the request is a plain link).
 */
export const oauthLoginQuery = z.object({
  returnTo: z
    .string()
    .max(2048)
    .optional()
    .catch(undefined)
    .meta({ description: 'A path of this app (pathname, search and hash) to return to after signing in.' }),
});

/**
 * `GET /api/oauth/callback`: FusionAuth's redirect. Listed for the reference; the whole query is
 * checked by the relying party (state, issuer, a single value each), so nothing is refused here.
 */
const callbackParameter = (description: string) => z.string().optional().catch(undefined).meta({ description });
export const oauthCallbackQuery = z.object({
  code: callbackParameter('The authorization code; exchanged at once, never logged.'),
  state: callbackParameter('Must be the state this browser’s sign-in started with.'),
  iss: callbackParameter('The issuer; must be FusionAuth’s (RFC 9207).'),
  locale: callbackParameter('Ignored.'),
  userState: callbackParameter('Ignored: FusionAuth warns against basing decisions on it.'),
  error: callbackParameter('FusionAuth’s error, instead of a code.'),
  error_reason: callbackParameter('FusionAuth’s detail of the error.'),
  error_description: callbackParameter('FusionAuth’s words for the error.'),
});

/**
 * `POST /api/logout` for a session that FusionAuth signed in (or when there was none): the SPA
 * navigates here, top-level, so that FusionAuth ends its SSO session and every app's too.
 */
export const logoutRedirect = z
  .object({
    logoutUrl: z.url().meta({ description: "FusionAuth's logout, which comes back to this app's `/`." }),
  })
  .meta({ id: 'LogoutRedirect' });
export type LogoutRedirect = z.infer<typeof logoutRedirect>;
