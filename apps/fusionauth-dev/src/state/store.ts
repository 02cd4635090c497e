import { randomUUID } from 'node:crypto';
import { fusionAuthApplicationId } from '@native-login/kickstart';
import type { EventData, EventType } from '../events/webhook-events.js';
import { defaultPasswordIterations } from '../crypto/passwords.js';
import { generateSigningKey, type SigningKey } from '../crypto/signing-keys.js';
import { DevMailbox } from '../email/mailbox.js';
import { defaultTenantSettings } from './defaults.js';
import type {
  ApiKeyRecord,
  ApplicationRecord,
  AuthorizationCodeRecord,
  ChangePasswordIdRecord,
  EmailTemplateRecord,
  EmailVerificationRecord,
  OneTimePasswordRecord,
  WebhookRecord,
  PendingTwoFactorLogin,
  RefreshTokenRecord,
  TwoFactorTrust,
  TenantRecord,
  UserActionLogRecord,
  UserActionRecord,
  UserRecord,
} from './records.js';

export interface StoreSettings {
  /** Overrides every tenant's PBKDF2 cost, so that tests and benchmarks hash quickly. */
  passwordHashIterations?: number | undefined;
}

export interface BootstrapOptions {
  /** The default tenant's id (a kickstart's `defaultTenantId`); random when absent, as in FusionAuth. */
  defaultTenantId?: string | undefined;
}

/**
 * Everything the stand-in knows, in memory. After `reset()` it holds what a fresh FusionAuth holds:
 * a default tenant with an HMAC signing key and FusionAuth's own application, and nothing else.
 */
export class StandInStore {
  readonly tenants = new Map<string, TenantRecord>();
  readonly applications = new Map<string, ApplicationRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly userActions = new Map<string, UserActionRecord>();
  readonly userActionLogs = new Map<string, UserActionLogRecord>();
  readonly emailTemplates = new Map<string, EmailTemplateRecord>();
  readonly webhooks = new Map<string, WebhookRecord>();
  readonly keys = new Map<string, SigningKey>();
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  /** Refresh tokens by their value; `refreshTokenIds` finds them by id. */
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly refreshTokenIds = new Map<string, string>();
  readonly pendingTwoFactorLogins = new Map<string, PendingTwoFactorLogin>();
  readonly changePasswordIds = new Map<string, ChangePasswordIdRecord>();
  readonly emailVerificationIds = new Map<string, EmailVerificationRecord>();
  readonly oneTimePasswords = new Map<string, OneTimePasswordRecord>();
  /** The emails FusionAuth would have sent, kept instead of sent (`/dev/mailbox`). */
  readonly mailbox = new DevMailbox();
  readonly authorizationCodes = new Map<string, AuthorizationCodeRecord>();
  readonly twoFactorTrusts = new Map<string, TwoFactorTrust>();
  /** `tenantId` + lower-cased email or username → user id. */
  private readonly loginIndex = new Map<string, string>();
  defaultTenantId = '';

  constructor(private readonly settings: StoreSettings = {}) {}

  /** PBKDF2 iterations for new hashes: the tenant's factor unless the stand-in was told otherwise. */
  passwordFactor(tenant: TenantRecord): number {
    return (
      this.settings.passwordHashIterations ??
      tenant.passwordEncryptionConfiguration?.encryptionSchemeFactor ??
      defaultPasswordIterations
    );
  }

  async reset(options: BootstrapOptions = {}): Promise<void> {
    for (const map of [
      this.tenants,
      this.applications,
      this.users,
      this.userActions,
      this.userActionLogs,
      this.emailTemplates,
      this.webhooks,
      this.keys,
      this.apiKeys,
      this.refreshTokens,
      this.refreshTokenIds,
      this.pendingTwoFactorLogins,
      this.changePasswordIds,
      this.emailVerificationIds,
      this.oneTimePasswords,
      this.authorizationCodes,
      this.twoFactorTrusts,
      this.loginIndex,
    ]) {
      map.clear();
    }
    this.mailbox.clear();

    const signingKey = await generateSigningKey(randomUUID(), 'Default signing key', 'HS256');
    this.keys.set(signingKey.id, signingKey);
    this.defaultTenantId = options.defaultTenantId ?? randomUUID();
    this.tenants.set(this.defaultTenantId, {
      ...defaultTenantSettings(signingKey.id),
      id: this.defaultTenantId,
      name: 'Default',
    });
    this.applications.set(fusionAuthApplicationId, {
      id: fusionAuthApplicationId,
      name: 'FusionAuth',
      tenantId: this.defaultTenantId,
      active: true,
      roles: [{ name: 'admin', isDefault: false, isSuperRole: true }],
    });
  }

  private loginKey(tenantId: string, loginId: string): string {
    return `${tenantId}\n${loginId.trim().toLowerCase()}`;
  }

  findUserByLoginId(tenantId: string, loginId: string): UserRecord | undefined {
    const id = this.loginIndex.get(this.loginKey(tenantId, loginId));
    return id === undefined ? undefined : this.users.get(id);
  }

  /** Adds or replaces a user and keeps the email/username index in step. */
  saveUser(record: UserRecord): void {
    const previous = this.users.get(record.user.id);
    if (previous) this.unindex(previous);
    this.users.set(record.user.id, record);
    for (const loginId of [record.user.email, record.user.username]) {
      if (loginId) this.loginIndex.set(this.loginKey(record.user.tenantId, loginId), record.user.id);
    }
  }

  deleteUser(record: UserRecord): void {
    this.unindex(record);
    this.users.delete(record.user.id);
    this.revokeRefreshTokens({ userId: record.user.id });
    for (const action of [...this.userActionLogs.values()]) {
      if (action.actioneeUserId === record.user.id) this.userActionLogs.delete(action.id);
    }
    for (const pending of [...this.pendingTwoFactorLogins.values()]) {
      if (pending.userId === record.user.id) this.pendingTwoFactorLogins.delete(pending.twoFactorId);
    }
    this.forgetUserIds(record.user.id);
    for (const code of [...this.authorizationCodes.values()]) {
      if (code.userId === record.user.id) this.authorizationCodes.delete(code.code);
    }
    for (const trust of [...this.twoFactorTrusts.values()]) {
      if (trust.userId === record.user.id) this.twoFactorTrusts.delete(trust.trustId);
    }
  }

  /** Drops the user's outstanding change-password ids, email verification ids and one-time passwords. */
  forgetUserIds(userId: string): void {
    this.forgetChangePasswordIds(userId);
    for (const otp of [...this.oneTimePasswords.values()]) {
      if (otp.userId === userId) this.oneTimePasswords.delete(otp.oneTimePassword);
    }
    for (const verification of [...this.emailVerificationIds.values()]) {
      if (verification.userId === userId) this.emailVerificationIds.delete(verification.verificationId);
    }
  }

  /** Every outstanding `changePasswordId` of the user goes, as when the password has been changed. */
  forgetChangePasswordIds(userId: string): void {
    for (const pending of [...this.changePasswordIds.values()]) {
      if (pending.userId === userId) this.changePasswordIds.delete(pending.changePasswordId);
    }
  }

  private unindex(record: UserRecord): void {
    for (const loginId of [record.user.email, record.user.username]) {
      if (loginId) this.loginIndex.delete(this.loginKey(record.user.tenantId, loginId));
    }
  }

  saveRefreshToken(record: RefreshTokenRecord): void {
    this.refreshTokens.set(record.token, record);
    this.refreshTokenIds.set(record.id, record.token);
  }

  deleteRefreshToken(record: RefreshTokenRecord): void {
    this.refreshTokens.delete(record.token);
    this.refreshTokenIds.delete(record.id);
  }

  /** Revokes every refresh token of this user and/or application; answers the tokens that went. */
  revokeRefreshTokens(filter: {
    userId?: string | undefined;
    applicationId?: string | undefined;
  }): RefreshTokenRecord[] {
    const revoked: RefreshTokenRecord[] = [];
    for (const token of [...this.refreshTokens.values()]) {
      if (filter.userId !== undefined && token.userId !== filter.userId) continue;
      if (filter.applicationId !== undefined && token.applicationId !== filter.applicationId) continue;
      this.deleteRefreshToken(token);
      revoked.push(token);
    }
    return revoked;
  }

  /** Where events go (the webhooks); set by the app once it has a logger. */
  emit: (type: EventType, data: EventData) => void = () => undefined;

  /** Where trouble that FusionAuth would write to its event log goes (an email that could not be rendered). */
  warn: (details: Record<string, unknown>, message: string) => void = () => undefined;

  /** Actions on this user that are in force now. */
  activeActionsOn(userId: string, now = Date.now()): UserActionLogRecord[] {
    return [...this.userActionLogs.values()].filter(
      (action) =>
        action.actioneeUserId === userId && !action.cancelled && (action.expiry === undefined || action.expiry > now),
    );
  }
}
