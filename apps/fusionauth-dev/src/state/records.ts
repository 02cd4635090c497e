import type {
  Application,
  EmailTemplate,
  Tenant,
  User,
  UserAction,
  UserActionLog,
  Webhook,
} from '@fusionauth/typescript-client';
import type { PasswordHash } from '../crypto/passwords.js';

/**
 * Admin objects (tenants, applications, user actions, email templates) are kept as the JSON the API
 * was given, merged on PATCH, typed by the official client's interfaces, so any property an operator
 * sets is returned as FusionAuth would return it.
 */
export type TenantRecord = Tenant & { id: string; name: string };
export type ApplicationRecord = Application & { id: string; name: string; tenantId: string };
export type UserActionRecord = UserAction & { id: string; name: string };
export type EmailTemplateRecord = EmailTemplate & { id: string; name: string };
/** Webhooks have no name in FusionAuth; the admin-object plumbing uses the description as one. */
export type WebhookRecord = Webhook & { id: string; name: string; url: string };

/** A user: the public JSON FusionAuth returns, plus what it never returns. */
export interface UserRecord {
  user: User & { id: string; tenantId: string; active: boolean };
  password: PasswordHash;
  /** Authenticator secrets by two-factor method id, base64 as FusionAuth stores them. */
  twoFactorSecrets: Map<string, string>;
  /**
   * Instants of recent failed password attempts; reaching the tenant's `tooManyAttempts` within
   * `resetCountInSeconds` applies the tenant's failed-authentication user action.
   */
  failedLoginInstants: number[];
  /**
   * The user's passwords, newest (the current one) first, for the tenant's
   * `passwordValidationRules.rememberPreviousPasswords`.
   */
  passwordHistory: PasswordHash[];
}

/**
 * An action taken on a user with the Actioning Users API (`POST /api/user/action`), as the API
 * returns it, plus whether it has been cancelled.
 */
export type UserActionLogRecord = UserActionLog & {
  id: string;
  actioneeUserId: string;
  userActionId: string;
  insertInstant: number;
  cancelled: boolean;
};

/**
 * A refresh token. One without an application is an SSO session (`fusionauth.sso` holds its value):
 * it expires after the tenant's `httpSessionMaxInactiveInterval` without use.
 */
export interface RefreshTokenRecord {
  id: string;
  token: string;
  userId: string;
  applicationId?: string | undefined;
  tenantId: string;
  insertInstant: number;
  /** When the user authenticated: kept across refreshes as `auth_time`. */
  startInstant: number;
  expiresAt: number;
  metaData?: Record<string, unknown>;
  /** The scopes an OAuth grant gave this token, which a refresh may narrow but not widen. */
  scopes?: string[] | undefined;
  /** How the user authenticated for it, for the tokens a refresh issues. */
  authenticationType?: string | undefined;
}

/** A login waiting for its second factor (`twoFactorId` of a 242 answer, or of the hosted two-factor page). */
export interface PendingTwoFactorLogin {
  twoFactorId: string;
  userId: string;
  applicationId: string | undefined;
  ipAddress: string | undefined;
  noJWT: boolean;
  expiresAt: number;
  /** On the hosted pages: whether the login form asked to be kept signed in (an SSO session). */
  rememberDevice?: boolean | undefined;
}

/** "Trust this device" after a second factor: this browser skips the second factor of this user until it expires. */
export interface TwoFactorTrust {
  trustId: string;
  userId: string;
  expiresAt: number;
}

/**
 * A `changePasswordId`: from a 203 login or the hosted login (a password change is required), the
 * Forgot Password API, or a user created with `sendSetPasswordEmail` (FusionAuth's "setup
 * password" id). The Change Password API spends it; a hosted login spends only its own.
 */
export interface ChangePasswordIdRecord {
  changePasswordId: string;
  userId: string;
  tenantId: string;
  /** The application it was started for; a hosted authorize request may finish only its own. */
  applicationId: string | undefined;
  expiresAt: number;
  /** Sent to the user's email address: using it proves the address (implicit email verification). */
  sentByEmail: boolean;
  /** Issued just after the user signed in (a required change): no trust token is asked of a user with two factors. */
  implicitTrust: boolean;
  /** The Forgot Password API's `state`, given back by the Change Password API. */
  state?: Record<string, unknown> | undefined;
}

/** An email verification id (`verificationId`) waiting for the Verify Email API. */
export interface EmailVerificationRecord {
  verificationId: string;
  userId: string;
  tenantId: string;
  /** The address it verifies: a changed email makes it worthless. */
  email: string;
  expiresAt: number;
}

/** A one-time password the Change Password API hands out, good for one Login API call. */
export interface OneTimePasswordRecord {
  oneTimePassword: string;
  userId: string;
  tenantId: string;
  expiresAt: number;
}

/**
 * An authorization code: opaque, single use, bound to the request that asked for it and to the
 * authentication it stands for.
 */
export interface AuthorizationCodeRecord {
  code: string;
  clientId: string;
  tenantId: string;
  redirectUri: string;
  codeChallenge: string | undefined;
  scopes: string[];
  nonce: string | undefined;
  userId: string;
  /** The SSO session's refresh-token id, when the login has one (the id token's `sid`). */
  ssoSessionId: string | undefined;
  /** Unix seconds. */
  authTime: number;
  authenticationType: string;
  expiresAt: number;
}

export interface ApiKeyRecord {
  key: string;
  description?: string;
  /** A tenant-scoped key may act only on that tenant. */
  tenantId?: string;
}
