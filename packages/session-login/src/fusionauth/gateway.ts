import { DeviceType, FusionAuthClient, type LoginResponse, type MetaData } from '@fusionauth/typescript-client';
import {
  type EmailOutcome,
  type JoinOutcome,
  interpretEmailRequest,
  interpretJoin,
  interpretPasswordChange,
  interpretSignUp,
  interpretVerification,
  type PasswordChangeAnswer,
  type PasswordChangeOutcome,
  type SettledCall,
  type SignUpAnswer,
  type SignUpOutcome,
  type VerificationOutcome,
} from './account-outcome.js';
import { interpretLogin, type LoginOutcome } from './login-outcome.js';
import { FusionAuthTimeout, UndiciTransport, type FusionAuthCall } from './undici-transport.js';

export interface FusionAuthSettings {
  url: string;
  apiKey: string;
  tenantId: string;
  applicationId: string;
  timeoutMs: number;
}

/** Who is logging in from where, forwarded so FusionAuth's own lockout and login history work. */
export interface ClientContext {
  ipAddress: string;
  userAgent: string | undefined;
}

/** A new account's details, as the person gave them in the sign-up form. */
export interface NewAccount {
  email: string;
  password: string;
  firstName: string | undefined;
  lastName: string | undefined;
}

/**
 * The client's promise settled either way: resolved for every 2xx, rejected with a ClientResponse
 * otherwise, whose body is FusionAuth's `Errors` on a 400 (so `T` is the success body or that).
 */
async function settle<T>(call: Promise<{ statusCode: number; response: unknown }>): Promise<SettledCall<T>> {
  try {
    const result = await call;
    return { statusCode: result.statusCode, response: result.response as T, timedOut: false };
  } catch (error) {
    const failure = error as { statusCode?: number; response?: T; exception?: unknown };
    const timedOut = failure.exception instanceof FusionAuthTimeout;
    // The client parses a failed call's JSON body (FusionAuth's `Errors`) into `exception`; a
    // failure to get an answer at all leaves an Error there instead.
    const body = failure.exception instanceof Error ? failure.response : ((failure.exception as T) ?? failure.response);
    return { statusCode: failure.statusCode, response: body, timedOut };
  }
}

/** Who asks, sent with both login steps: this app, the browser's IP, and the browser as a device. */
function attribution(applicationId: string, context: ClientContext) {
  const device: MetaData['device'] = {
    type: DeviceType.BROWSER,
    lastAccessedAddress: context.ipAddress,
    ...(context.userAgent !== undefined && { description: context.userAgent.slice(0, 255) }),
  };
  return { applicationId, ipAddress: context.ipAddress, metaData: { device } };
}

/** What this backend asks of FusionAuth, each call cancelled at the configured timeout. */
export class FusionAuthGateway {
  private readonly client: FusionAuthClient;
  private readonly transport: UndiciTransport;

  constructor(
    private readonly settings: FusionAuthSettings,
    observe?: (call: FusionAuthCall) => void,
  ) {
    this.client = new FusionAuthClient(settings.apiKey, settings.url, settings.tenantId);
    this.transport = new UndiciTransport(settings.timeoutMs, observe);
    this.client.clientBuilder = this.transport;
  }

  /** Login API with this app's application id. */
  async login(loginId: string, password: string, context: ClientContext): Promise<LoginOutcome> {
    const settled = await settle<LoginResponse>(
      this.client.login({ loginId, password, ...attribution(this.settings.applicationId, context) }),
    );
    return this.interpret(settled, false);
  }

  /** Login API with the one-time password a password change answered, in place of a login id and password. */
  async loginWithOneTimePassword(oneTimePassword: string, context: ClientContext): Promise<LoginOutcome> {
    const settled = await settle<LoginResponse>(
      this.client.login({ oneTimePassword, ...attribution(this.settings.applicationId, context) }),
    );
    return this.interpret(settled, false);
  }

  /**
   * Registration API without a user id: creates the user and registers them for this app alone,
   * FusionAuth's email verification left on (`skipVerification: false`), no email to set a password.
   */
  async signUp(account: NewAccount): Promise<SignUpOutcome> {
    const { email, password, firstName, lastName } = account;
    const settled = await settle<SignUpAnswer>(
      // No user id: FusionAuth makes one. (Without a value the client adds no path segment.)
      this.client.register(undefined as unknown as string, {
        user: { email, password, ...(firstName && { firstName }), ...(lastName && { lastName }) },
        registration: { applicationId: this.settings.applicationId },
        sendSetPasswordEmail: false,
        skipVerification: false,
      }),
    );
    return interpretSignUp(settled);
  }

  /** Registration API with the user's id: an account of the tenant registered for this app too. */
  async join(userId: string): Promise<JoinOutcome> {
    const settled = await settle<SignUpAnswer>(
      this.client.register(userId, { registration: { applicationId: this.settings.applicationId } }),
    );
    return interpretJoin(settled);
  }

  /** Forgot Password API: FusionAuth emails the user a link to this app's reset page, its template says which. */
  async sendPasswordReset(email: string): Promise<EmailOutcome> {
    const settled = await settle(
      this.client.forgotPassword({
        loginId: email,
        applicationId: this.settings.applicationId,
        sendForgotPasswordEmail: true,
      }),
    );
    return interpretEmailRequest(settled);
  }

  /** Change Password API with a `changePasswordId`; FusionAuth answers a one-time password to sign in with. */
  async changePassword(changePasswordId: string, password: string): Promise<PasswordChangeOutcome> {
    const settled = await settle<PasswordChangeAnswer>(
      // The id in the body, as FusionAuth has preferred since 1.33, not in the path, where access
      // logs on the way would keep it. The client leaves out a path segment it is given no value for.
      this.client.changePassword(undefined as unknown as string, {
        changePasswordId,
        password,
        applicationId: this.settings.applicationId,
      }),
    );
    return interpretPasswordChange(settled);
  }

  /** Verify Email API with the `verificationId` from the verification email. */
  async verifyEmail(verificationId: string): Promise<VerificationOutcome> {
    return interpretVerification(await settle(this.client.verifyEmailAddress({ verificationId })));
  }

  /** Asks FusionAuth to send the verification email again, with this app's template when it has one. */
  async resendVerification(email: string): Promise<EmailOutcome> {
    const settled = await settle(
      this.client.resendEmailVerificationWithApplicationTemplate(this.settings.applicationId, email),
    );
    return interpretEmailRequest(settled);
  }

  /** Complete Multi-Factor Authentication, the second step of a login that answered 242. */
  async completeTwoFactor(twoFactorId: string, code: string, context: ClientContext): Promise<LoginOutcome> {
    const settled = await settle<LoginResponse>(
      this.client.twoFactorLogin({ twoFactorId, code, ...attribution(this.settings.applicationId, context) }),
    );
    return this.interpret(settled, true);
  }

  /** Revokes one refresh token (a session's); resolves false when FusionAuth could not be told. */
  async revokeRefreshToken(refreshTokenId: string): Promise<boolean> {
    try {
      await this.client.revokeRefreshTokenById(refreshTokenId);
      return true;
    } catch {
      return false;
    }
  }

  /** Revokes every refresh token the user holds for this application; false when FusionAuth could not be told. */
  async revokeRefreshTokensOfUser(userId: string): Promise<boolean> {
    try {
      await this.client.revokeRefreshTokensByUserIdForApplication(userId, this.settings.applicationId);
      return true;
    } catch {
      return false;
    }
  }

  /** The URLs FusionAuth sends this tenant's events to (its webhooks); undefined when it cannot be asked. */
  async webhookUrls(): Promise<string[] | undefined> {
    try {
      const result = await this.client.retrieveWebhooks();
      return (result.response.webhooks ?? [])
        .filter((webhook) => webhook.global === true || (webhook.tenantIds ?? []).includes(this.settings.tenantId))
        .flatMap((webhook) => (webhook.url ? [webhook.url] : []));
    } catch {
      return undefined;
    }
  }

  /** Whether an action that prevents login is in force on the user (a `user.action` event may or may not be one). */
  async hasLoginPreventingAction(userId: string): Promise<boolean> {
    try {
      const result = await this.client.retrieveActionsPreventingLogin(userId);
      return (result.response.actions ?? []).length > 0;
    } catch {
      // Unknown is treated as yes: ending sessions on a doubt costs a sign-in, keeping them could cost an account.
      return true;
    }
  }

  /** Whether FusionAuth answers its status endpoint in time. */
  async isReachable(): Promise<boolean> {
    try {
      await this.client.retrieveSystemStatus();
      return true;
    } catch {
      return false;
    }
  }

  /** Closes the connections kept open to FusionAuth. */
  close(): Promise<void> {
    return this.transport.close();
  }

  private interpret(settled: SettledCall<LoginResponse>, secondStep: boolean): LoginOutcome {
    if (settled.timedOut) return { kind: 'unavailable', reason: 'timeout', statusCode: undefined };
    return interpretLogin(settled.statusCode, settled.response, this.settings.applicationId, secondStep);
  }
}
