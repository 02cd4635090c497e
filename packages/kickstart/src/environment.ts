/** The route of each app that FusionAuth's webhook events go to. */
export const webhookRoute = '/api/fusionauth/webhook';

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The environment a kickstart of this project is run with: `env` as given, and the variables its
 * `#{ENV.…}` placeholders read, where `env` leaves them unset, given what the development stack
 * uses. The apps' origins (`STORE_ORIGIN`, `FORUM_ORIGIN`) become their OAuth redirect and logout
 * URLs; the webhook targets (`STORE_WEBHOOK_URL`, `FORUM_WEBHOOK_URL`) are the origin's webhook
 * route unless FusionAuth reaches an app by another address. A real FusionAuth reads the same
 * variables from its own environment, and has no defaults: set them there.
 */
export function kickstartEnvironment(env: Environment): Environment {
  // As the apps read an origin: without a trailing slash, or every URL made from it would have `//`.
  const originOf = (value: string | undefined, fallback: string) => (value ?? fallback).replace(/\/+$/, '');
  const storeOrigin = originOf(env['STORE_ORIGIN'], 'http://localhost:3000');
  const forumOrigin = originOf(env['FORUM_ORIGIN'], 'http://localhost:3001');
  return {
    ...env,
    STORE_ORIGIN: storeOrigin,
    FORUM_ORIGIN: forumOrigin,
    STORE_WEBHOOK_URL: env['STORE_WEBHOOK_URL'] ?? `${storeOrigin}${webhookRoute}`,
    FORUM_WEBHOOK_URL: env['FORUM_WEBHOOK_URL'] ?? `${forumOrigin}${webhookRoute}`,
  };
}
