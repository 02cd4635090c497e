import { createRemoteJWKSet, customFetch as joseCustomFetch, jwtVerify, type JWTVerifyGetKey } from 'jose';
import {
  allowInsecureRequests,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  buildEndSessionUrl,
  calculatePKCECodeChallenge,
  ClientError,
  Configuration,
  customFetch,
  discovery,
  enableNonRepudiationChecks,
  type IDToken,
  type ServerMetadata,
} from 'openid-client';
import { backChannelFetch, rebase, tokenAnswers, type BackChannelFetch } from './back-channel-fetch.js';
import { DiscoveryFailed, outcomeOfTokens, refusalOf, type SignInOutcome } from './sign-in-outcome.js';

export interface RelyingPartySettings {
  /** Where browsers reach FusionAuth; also the issuer its discovery document, tokens and redirects must name. */
  issuer: string;
  /** Where this backend reaches FusionAuth (FUSIONAUTH_URL). */
  backChannelUrl: string;
  /** The application id, which is FusionAuth's OAuth client id. */
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  timeoutMs: number;
}

/** What a sign-in sent FusionAuth (state and nonce as they are, the verifier as its S256 challenge). */
export interface SignInChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

interface Discovered {
  configuration: Configuration;
  /** FusionAuth's published keys, for the access token (openid-client checks the id token's itself). */
  accessTokenKeys: JWTVerifyGetKey;
  issuer: string;
}

/** What the token endpoint gave for a code, before the access token is checked. */
interface Redeemed {
  discovered: Discovered;
  idToken: IDToken;
  accessToken: string;
  refreshTokenId: string | undefined;
}

/**
 * `openid` for the id token, `email` and `profile` for the user's snapshot, `offline_access` for
 * a refresh token whose id the session keeps, so that ending the session can revoke it.
 */
const scope = 'openid email profile offline_access';

/**
 * How FusionAuth must sign this app's tokens: with an asymmetric key it publishes in its JWKS
 * (RS256, the kickstart's), never with a shared secret the backend cannot check it against.
 */
const signingAlgorithm = 'RS256';

/**
 * What went wrong with discovery, for the log. The commonest case is a tenant issuer that is not
 * the browser-facing URL (`127.0.0.1` against `localhost`, a port, a scheme): say which is which.
 */
function discoveryProblem(error: unknown, issuer: string): string {
  const cause = error instanceof ClientError ? (error.cause as { attribute?: unknown; body?: unknown }) : undefined;
  const found = (cause?.body as { issuer?: unknown } | undefined)?.issuer;
  if (cause?.attribute === 'issuer' && typeof found === 'string') {
    return `FusionAuth's issuer is ${found}, not ${issuer}`;
  }
  return `discovery at ${issuer} failed`;
}

/**
 * This app as an OAuth client of FusionAuth, on openid-client: the authorization URL (state, nonce,
 * PKCE S256), the callback's checks and code exchange, the id token's validation (signature
 * included: `enableNonRepudiationChecks`), the access token's (jose), and the end-session URL.
 *
 * Its Configuration comes from FusionAuth's discovery document, fetched when first needed and then
 * kept (a failed discovery is tried again next time). Every request goes over the back channel
 * (see back-channel-fetch.ts); the two endpoints the browser is sent to, authorize and logout, are
 * rewritten to the browser-facing address when the two differ.
 */
export class RelyingParty {
  private discovered: Promise<Discovered> | undefined;
  private readonly fetch: BackChannelFetch;
  /** Plain http is allowed only where it is configured (development), never as a fallback. */
  private readonly insecure: boolean;

  constructor(private readonly settings: RelyingPartySettings) {
    this.fetch = backChannelFetch({
      publicUrl: settings.issuer,
      backChannelUrl: settings.backChannelUrl,
      timeoutMs: settings.timeoutMs,
    });
    this.insecure = [settings.issuer, settings.backChannelUrl].some((url) => new URL(url).protocol === 'http:');
  }

  private configuration(): Promise<Discovered> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = undefined;
      throw error;
    });
    return this.discovered;
  }

  private async discover(): Promise<Discovered> {
    const { issuer, backChannelUrl, clientId, clientSecret, timeoutMs } = this.settings;
    let discovered: Configuration;
    try {
      // The expected issuer is the browser-facing URL; the document itself comes over the back channel.
      discovered = await discovery(new URL(issuer), clientId, clientSecret, undefined, {
        [customFetch]: this.fetch,
        execute: this.insecure ? [allowInsecureRequests] : [],
      });
    } catch (error) {
      throw new DiscoveryFailed(discoveryProblem(error, issuer), { cause: error });
    }
    const metadata: Readonly<ServerMetadata> = discovered.serverMetadata();
    if (!metadata.jwks_uri) throw new DiscoveryFailed('the discovery document names no jwks_uri');
    const toBrowser = (endpoint: string | undefined) => endpoint && rebase(endpoint, backChannelUrl, issuer);
    const configuration = new Configuration(
      {
        ...metadata,
        authorization_endpoint: toBrowser(metadata.authorization_endpoint),
        end_session_endpoint: toBrowser(metadata.end_session_endpoint),
      },
      clientId,
      // FusionAuth advertises HMAC algorithms too; the id token must be signed with a published key.
      { client_secret: clientSecret, id_token_signed_response_alg: signingAlgorithm },
    );
    configuration[customFetch] = this.fetch;
    if (this.insecure) allowInsecureRequests(configuration);
    enableNonRepudiationChecks(configuration);
    const accessTokenKeys = createRemoteJWKSet(new URL(metadata.jwks_uri), {
      timeoutDuration: timeoutMs,
      [joseCustomFetch]: this.fetch,
    });
    return { configuration, accessTokenKeys, issuer: metadata.issuer };
  }

  /** Where to send the browser to sign in. Throws when FusionAuth cannot be discovered (see refusalOf). */
  async authorizationUrl(checks: SignInChecks): Promise<string> {
    const { configuration } = await this.configuration();
    const url = buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope,
      state: checks.state,
      nonce: checks.nonce,
      code_challenge: await calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
    });
    return url.href;
  }

  /** The code exchanged for tokens, once the callback's state and issuer are right and it carries no error. */
  private async redeem(callbackQuery: string, checks: SignInChecks): Promise<Redeemed> {
    const discovered = await this.configuration();
    // The redirect_uri sent with the code is this URL without its query: the configured one,
    // never one built from the request's Host header.
    const callbackUrl = new URL(this.settings.redirectUri);
    callbackUrl.search = callbackQuery;
    const tokens = await authorizationCodeGrant(discovered.configuration, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new Error('the token response carries no id token');
    const refreshTokenId = tokens['refresh_token_id'];
    return {
      discovered,
      idToken,
      accessToken: tokens.access_token,
      refreshTokenId: typeof refreshTokenId === 'string' ? refreshTokenId : undefined,
    };
  }

  /**
   * The callback, checked and redeemed: its state and issuer, FusionAuth's error if it sent one,
   * the code exchanged (with the secret and the PKCE verifier) at once, the id token validated
   * (signature, issuer, audience, expiry, nonce), the access token verified (signature, issuer,
   * audience), and what both say about the user. Never throws: every failure is a refusal.
   */
  async completeSignIn(callbackQuery: string, checks: SignInChecks): Promise<SignInOutcome> {
    let redeemed: Redeemed;
    const tokenAnswer: { refreshTokenId?: string | undefined } = {};
    try {
      redeemed = await tokenAnswers.run(tokenAnswer, () => this.redeem(callbackQuery, checks));
    } catch (error) {
      // The id token may fail its checks after FusionAuth issued a refresh token: revoke that too.
      return { ...refusalOf(error), refreshTokenId: tokenAnswer.refreshTokenId };
    }
    const { discovered, idToken, accessToken, refreshTokenId } = redeemed;
    const { clientId } = this.settings;
    try {
      const { payload } = await jwtVerify(accessToken, discovered.accessTokenKeys, {
        issuer: discovered.issuer,
        audience: clientId,
        algorithms: [signingAlgorithm],
      });
      return outcomeOfTokens(idToken, payload, refreshTokenId, clientId);
    } catch (error) {
      return { ...refusalOf(error), refreshTokenId };
    }
  }

  /**
   * FusionAuth's logout for this app (`client_id`), which comes back to the app's `/`. Throws when
   * FusionAuth cannot be discovered.
   */
  async endSessionUrl(): Promise<string> {
    const { configuration } = await this.configuration();
    return buildEndSessionUrl(configuration, { post_logout_redirect_uri: this.settings.postLogoutRedirectUri }).href;
  }
}
