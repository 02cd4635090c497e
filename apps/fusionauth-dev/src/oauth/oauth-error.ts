/**
 * FusionAuth's OAuth error, as its error redirects, error page and token endpoint carry it
 * (fusionauth-java-client `io.fusionauth.domain.oauth2.OAuthError`).
 */
export interface OAuthError {
  error: string;
  error_description: string;
  error_reason: string;
}

/** A refusal of the token, userinfo or introspect endpoint: a status and the error JSON. */
export class OAuthEndpointError extends Error {
  override name = 'OAuthEndpointError';

  constructor(
    readonly statusCode: number,
    readonly body: OAuthError,
  ) {
    super(`${body.error}: ${body.error_reason}`);
  }
}

export const invalidRequest = (reason: string, description: string): OAuthEndpointError =>
  new OAuthEndpointError(400, { error: 'invalid_request', error_description: description, error_reason: reason });

export const invalidClient = (reason: string, description: string): OAuthEndpointError =>
  new OAuthEndpointError(401, { error: 'invalid_client', error_description: description, error_reason: reason });
