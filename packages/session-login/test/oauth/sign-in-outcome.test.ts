import { errors as joseErrors } from 'jose';
import {
  AuthorizationResponseError,
  ClientError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
  type IDToken,
} from 'openid-client';
import t from 'tap';
import { FusionAuthUnavailable } from '../../src/oauth/back-channel-fetch.js';
import { DiscoveryFailed, outcomeOfTokens, refusalOf } from '../../src/oauth/sign-in-outcome.js';

/**
 * What a failed OAuth sign-in tells the SPA (`code`) and the log (`reason` and the rest), for each
 * error openid-client, jose and the back channel throw: an outage of FusionAuth is worth another try,
 * anything FusionAuth refused or a check failed is not.
 */

/** `error` wrapped `depth` times as the cause of a library's error. */
const wrapped = (error: Error, depth: number): Error =>
  depth === 0 ? error : new Error(`layer ${depth}`, { cause: wrapped(error, depth - 1) });

const tokenEndpointAnswer = (status: number, body: Record<string, unknown>) =>
  new ResponseBodyError('server responded with an error in the response body', {
    cause: body as never,
    response: new Response(JSON.stringify(body), { status }),
  });

void t.test('an outage of FusionAuth, however deep the libraries wrapped it', async (t) => {
  t.same(refusalOf(new FusionAuthUnavailable('timeout')), {
    kind: 'refused',
    code: 'identity_unavailable',
    reason: 'timeout',
    statusCode: undefined,
  });
  t.same(refusalOf(wrapped(new FusionAuthUnavailable('server_error', 502), 4)), {
    kind: 'refused',
    code: 'identity_unavailable',
    reason: 'server_error',
    statusCode: 502,
  });
  t.match(
    refusalOf(wrapped(new FusionAuthUnavailable('network_error'), 5)),
    { code: 'sign_in_failed', reason: 'unexpected_error' },
    'the search for a cause stops after five errors',
  );
  const notAnError = Object.assign(new Error('outer'), { cause: { reason: 'timeout' } });
  t.match(refusalOf(notAnError), { reason: 'unexpected_error', detail: 'outer' }, 'and at a cause that is no Error');
  t.same(refusalOf(new DiscoveryFailed('no configuration', { cause: new Error('ECONNREFUSED') })), {
    kind: 'refused',
    code: 'identity_unavailable',
    reason: 'discovery_failed',
    detail: 'no configuration: ECONNREFUSED',
  });
});

void t.test("FusionAuth's authorize errors: an interactive sign-in asked for, denied, or anything else", async (t) => {
  const authorizeError = (query: string) =>
    refusalOf(
      new AuthorizationResponseError('authorization response from the server is an error', {
        cause: new URLSearchParams(query),
      }),
    );
  for (const error of ['login_required', 'interaction_required', 'consent_required']) {
    t.same(
      authorizeError(`error=${error}`),
      {
        kind: 'refused',
        code: 'login_required',
        reason: 'authorization_error',
        fusionAuthError: error,
        fusionAuthErrorReason: undefined,
      },
      error,
    );
  }
  t.same(authorizeError('error=access_denied&error_reason=user_locked'), {
    kind: 'refused',
    code: 'access_denied',
    reason: 'authorization_error',
    fusionAuthError: 'access_denied',
    fusionAuthErrorReason: 'user_locked',
  });
  t.match(authorizeError('error=invalid_request'), { code: 'sign_in_failed', fusionAuthError: 'invalid_request' });
});

void t.test('the token endpoint: a refused client secret is an outage, a refused code is not', async (t) => {
  t.same(refusalOf(tokenEndpointAnswer(400, { error: 'invalid_grant', error_reason: 'auth_code_not_found' })), {
    kind: 'refused',
    code: 'sign_in_failed',
    reason: 'token_request_refused',
    statusCode: 400,
    fusionAuthError: 'invalid_grant',
    fusionAuthErrorReason: 'auth_code_not_found',
  });
  t.same(refusalOf(tokenEndpointAnswer(401, { error: 'invalid_client' })), {
    kind: 'refused',
    code: 'identity_unavailable',
    reason: 'client_rejected',
    statusCode: 401,
    fusionAuthError: 'invalid_client',
    fusionAuthErrorReason: undefined,
  });
  t.match(
    refusalOf(tokenEndpointAnswer(400, { error: 'invalid_client' })),
    { code: 'identity_unavailable', reason: 'client_rejected' },
    '400 invalid_client too',
  );
  t.match(
    refusalOf(tokenEndpointAnswer(401, { error: 'invalid_grant' })),
    { code: 'identity_unavailable', reason: 'client_rejected' },
    'and any 401',
  );
  t.match(
    refusalOf(tokenEndpointAnswer(400, { error: 42, error_reason: ['x'] })),
    { fusionAuthError: undefined, fusionAuthErrorReason: undefined },
    'only text is taken from the body',
  );
  const challenge = (status: number) =>
    refusalOf(
      new WWWAuthenticateChallengeError('server responded with a challenge', {
        cause: [{ scheme: 'basic', parameters: {} }],
        response: new Response(null, { status }),
      }),
    );
  t.same(challenge(401), {
    kind: 'refused',
    code: 'identity_unavailable',
    reason: 'client_rejected',
    statusCode: 401,
    fusionAuthError: undefined,
    fusionAuthErrorReason: undefined,
  });
  t.match(challenge(403), { code: 'sign_in_failed', reason: 'token_request_refused', statusCode: 403 });
});

void t.test("openid-client's and jose's own errors", async (t) => {
  t.equal(new DiscoveryFailed('no configuration').name, 'DiscoveryFailed', 'the log names the error');
  for (const code of ['OAUTH_TIMEOUT', 'OAUTH_ABORT']) {
    t.same(refusalOf(new ClientError('too slow', { code } as ErrorOptions)), {
      kind: 'refused',
      code: 'identity_unavailable',
      reason: 'timeout',
    });
  }
  t.same(refusalOf(new joseErrors.JWKSTimeout()), { kind: 'refused', code: 'identity_unavailable', reason: 'timeout' });
  t.same(
    refusalOf(
      new ClientError('unexpected ID Token "nonce"', { code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' } as ErrorOptions),
    ),
    {
      kind: 'refused',
      code: 'sign_in_failed',
      reason: 'response_rejected',
      detail: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED unexpected ID Token "nonce"',
    },
  );
  t.equal(
    refusalOf(new ClientError('bad response', { cause: new Error('no body') })).detail,
    'bad response: no body',
    'without a code, the message and its cause',
  );
  t.same(refusalOf(new joseErrors.JWSSignatureVerificationFailed()), {
    kind: 'refused',
    code: 'sign_in_failed',
    reason: 'access_token_rejected',
    detail: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED signature verification failed',
  });
  t.same(refusalOf('thrown text'), {
    kind: 'refused',
    code: 'sign_in_failed',
    reason: 'unexpected_error',
    detail: 'thrown text',
  });
});

const applicationId = 'e9fdb985-9173-4e01-9d73-ac2d60d1dc8e';
const userId = '00000000-0000-0000-0000-000000000001';
const idToken = (claims: Record<string, unknown> = {}) =>
  ({ iss: 'https://auth.example', aud: applicationId, iat: 0, exp: 1, sub: userId, ...claims }) as IDToken;
const accessToken = (claims: Record<string, unknown> = {}) => ({
  sub: userId,
  applicationId,
  roles: ['customer'],
  ...claims,
});

void t.test('the checked tokens: a session for a registered user of this app, or why not', async (t) => {
  t.same(
    outcomeOfTokens(
      idToken({ email: 'sam@example.com', given_name: 'Sam', family_name: 'Lee', authenticationType: 'PASSWORD' }),
      accessToken(),
      'rt-1',
      applicationId,
    ),
    {
      kind: 'signed_in',
      signIn: {
        user: { id: userId, email: 'sam@example.com', firstName: 'Sam', lastName: 'Lee', roles: ['customer'] },
        refreshTokenId: 'rt-1',
        signedInWith: 'fusionauth',
      },
    },
  );
  t.same(
    outcomeOfTokens(
      idToken({ preferred_username: 'sam', given_name: '', authenticationType: 'PING' }),
      accessToken({ roles: [] }),
      undefined,
      applicationId,
    ),
    {
      kind: 'signed_in',
      signIn: {
        user: { id: userId, email: 'sam', roles: [] },
        refreshTokenId: undefined,
        signedInWith: 'single_sign_on',
      },
    },
    'the username when there is no email, empty names left out, no roles, and single sign-on',
  );
  const bare = outcomeOfTokens(
    idToken({ email: '', given_name: 42, family_name: '' }),
    accessToken(),
    undefined,
    applicationId,
  );
  const bareUser = bare.kind === 'signed_in' ? bare.signIn.user : undefined;
  t.equal(bareUser?.email, '', 'no email and no username: an empty email');
  t.same(Object.keys(bareUser ?? {}).sort(), ['email', 'id', 'roles'], 'a name that is no text, or empty, is left out');

  const refusedWith = (reason: string, code = reason) => ({
    kind: 'refused',
    code,
    reason,
    userId,
    refreshTokenId: 'rt',
  });
  t.same(
    outcomeOfTokens(idToken(), accessToken({ sub: 'someone-else' }), 'rt', applicationId),
    refusedWith('subject_mismatch', 'sign_in_failed'),
  );
  t.same(
    outcomeOfTokens(idToken(), accessToken({ applicationId: 'other' }), 'rt', applicationId),
    refusedWith('not_registered'),
  );
  t.same(
    outcomeOfTokens(idToken(), accessToken({ roles: undefined }), 'rt', applicationId),
    refusedWith('not_registered'),
  );
  t.same(
    outcomeOfTokens(idToken(), accessToken({ roles: ['a', 1] }), 'rt', applicationId),
    refusedWith('not_registered'),
  );
  t.same(
    outcomeOfTokens(idToken(), accessToken({ roles: 'admin' }), 'rt', applicationId),
    refusedWith('not_registered'),
  );
  t.same(
    outcomeOfTokens(idToken({ email_verified: false }), accessToken(), 'rt', applicationId),
    refusedWith('email_not_verified'),
  );
  t.match(outcomeOfTokens(idToken({ email_verified: true }), accessToken(), 'rt', applicationId), {
    kind: 'signed_in',
  });
});
