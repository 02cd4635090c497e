import { randomBytes, randomUUID } from 'node:crypto';
import type { TwoFactorMethod, User, UserRegistration } from '@fusionauth/typescript-client';
import { FieldErrors } from '../http/api-error.js';
import { hashPassword, type PasswordHash } from '../crypto/passwords.js';
import { authenticatorConfiguration } from '../crypto/totp.js';
import type { TenantRecord, UserRecord } from '../state/records.js';
import type { StandInStore } from '../state/store.js';
import { checkPasswordRules, passwordRules, previouslyUsed, withNewPassword } from './password-rules.js';
import type { RegistrationInput, UserInput } from './user-input.js';

const emailPattern = /^[^\s@]+@[^\s@]+$/;

function checkLoginIds(
  store: StandInStore,
  tenantId: string,
  input: UserInput,
  ownId: string,
  errors: FieldErrors,
): void {
  if (!input.email && !input.username) {
    errors.add('user.email', '[blank]', 'You must specify either the [user.email] or [user.username] property.');
  }
  if (input.email && !emailPattern.test(input.email)) {
    errors.add('user.email', '[notEmail]', 'The [user.email] property is not a valid email address.');
  }
  for (const [field, value] of [
    ['user.email', input.email],
    ['user.username', input.username],
  ] as const) {
    const holder = value ? store.findUserByLoginId(tenantId, value) : undefined;
    if (holder && holder.user.id !== ownId) {
      errors.add(field, '[duplicate]', `A user with ${field.slice('user.'.length)} [${value}] already exists.`);
    }
  }
}

/** `[blank]` when a password is required and missing, else the tenant's password rules. */
function checkPassword(
  tenant: TenantRecord | undefined,
  password: string | undefined,
  required: boolean,
  errors: FieldErrors,
): void {
  if (password === undefined || password === '') {
    if (required) errors.add('user.password', '[blank]', 'You must specify the [user.password] property.');
  } else {
    checkPasswordRules(passwordRules(tenant), password, 'user.password', errors);
  }
}

/** Authenticator methods keep their secrets apart from the public user; FusionAuth never returns them. */
function readTwoFactorMethods(
  input: UserInput,
  errors: FieldErrors,
): { methods: TwoFactorMethod[]; secrets: Map<string, string> } {
  const methods: TwoFactorMethod[] = [];
  const secrets = new Map<string, string>();
  for (const [index, method] of (input.twoFactor?.methods ?? []).entries()) {
    const field = `user.twoFactor.methods[${index}]`;
    if (method.method !== 'authenticator') {
      errors.add(`${field}.method`, '[invalid]', 'The stand-in supports only the [authenticator] two-factor method.');
      continue;
    }
    if (!method.secret || Buffer.from(method.secret, 'base64').length === 0) {
      errors.add(`${field}.secret`, '[blank]', 'An authenticator method needs a base64 encoded [secret].');
      continue;
    }
    const id = method.id ?? randomBytes(3).toString('hex').toUpperCase();
    methods.push({ id, method: 'authenticator', authenticator: { ...authenticatorConfiguration } });
    secrets.set(id, method.secret);
  }
  return { methods, secrets };
}

export interface CreateUserOptions {
  /** `skipVerification`: mark the email verified although the tenant verifies emails. */
  skipVerification: boolean;
  /**
   * `sendSetPasswordEmail`: the user chooses a password through the set-password email, so any
   * password given is ignored and a random one is set.
   */
  sendSetPasswordEmail?: boolean | undefined;
}

/** Properties FusionAuth sets itself; a create or update request cannot. */
const managedProperties = [
  'id',
  'tenantId',
  'active',
  'verified',
  'verifiedInstant',
  'registrations',
  'twoFactor',
  'password',
  'insertInstant',
  'lastUpdateInstant',
  'lastLoginInstant',
  'passwordLastUpdateInstant',
] as const;

/** The profile an operator may set, with the email lower-cased as FusionAuth stores it. */
function profileOf(input: UserInput): Omit<User, (typeof managedProperties)[number]> {
  const profile: Record<string, unknown> = { ...input };
  for (const property of managedProperties) delete profile[property];
  if (typeof input.email === 'string') profile['email'] = input.email.toLowerCase();
  return profile;
}

async function hashIfGiven(store: StandInStore, tenant: TenantRecord, password: string | undefined) {
  return password ? hashPassword(password, store.passwordFactor(tenant)) : undefined;
}

/**
 * User API create: https://fusionauth.io/docs/apis/users#create-a-user. The password is hashed
 * before the checks so that checking and saving happen without an await between them: two
 * concurrent creates cannot both claim one email.
 */
export async function createUser(
  store: StandInStore,
  tenant: TenantRecord,
  input: UserInput,
  options: CreateUserOptions,
): Promise<UserRecord> {
  const given = options.sendSetPasswordEmail ? randomBytes(32).toString('base64url') : input.password;
  const password = await hashIfGiven(store, tenant, given);
  const id = input.id ?? randomUUID();
  const errors = new FieldErrors();
  if (store.users.has(id)) errors.add('user.id', '[duplicate]', `A user with Id [${id}] already exists.`);
  checkLoginIds(store, tenant.id, input, id, errors);
  if (!options.sendSetPasswordEmail) checkPassword(tenant, input.password, true, errors);
  const { methods, secrets } = readTwoFactorMethods(input, errors);
  errors.throwIfAny();

  const now = Date.now();
  const record: UserRecord = {
    user: {
      ...profileOf(input),
      id,
      tenantId: tenant.id,
      active: true,
      verified: options.skipVerification || tenant.emailConfiguration?.verifyEmail !== true,
      passwordChangeRequired: input.passwordChangeRequired ?? false,
      twoFactor: { methods },
      registrations: [],
      insertInstant: now,
      lastUpdateInstant: now,
      passwordLastUpdateInstant: now,
    },
    password: password as PasswordHash,
    twoFactorSecrets: secrets,
    failedLoginInstants: [],
    passwordHistory: [password as PasswordHash],
  };
  store.saveUser(record);
  return record;
}

/**
 * User API update: the profile is replaced by the one given (a PATCH merges before it gets here);
 * what FusionAuth manages itself is kept, the password only changes when a new one is given.
 */
export async function updateUser(store: StandInStore, record: UserRecord, input: UserInput): Promise<UserRecord> {
  const tenant = store.tenants.get(record.user.tenantId);
  const password = tenant ? await hashIfGiven(store, tenant, input.password) : undefined;
  const errors = new FieldErrors();
  checkLoginIds(store, record.user.tenantId, input, record.user.id, errors);
  checkPassword(tenant, input.password, false, errors);
  if (
    input.password &&
    !errors.has('user.password') &&
    (await previouslyUsed(passwordRules(tenant), input.password, record.passwordHistory))
  ) {
    errors.add('user.password', '[previouslyUsed]', 'The [user.password] property is one of the last passwords used.');
  }
  const twoFactor = input.twoFactor ? readTwoFactorMethods(input, errors) : undefined;
  errors.throwIfAny();

  const now = Date.now();
  const managed: Partial<User> = {};
  for (const property of managedProperties) {
    if (property !== 'password' && record.user[property] !== undefined) {
      Object.assign(managed, { [property]: record.user[property] });
    }
  }
  const updated: UserRecord = {
    ...record,
    user: {
      ...profileOf(input),
      ...managed,
      ...(twoFactor && { twoFactor: { methods: twoFactor.methods } }),
      lastUpdateInstant: now,
      ...(password && { passwordLastUpdateInstant: now }),
    } as UserRecord['user'],
    ...(twoFactor && { twoFactorSecrets: twoFactor.secrets }),
    ...(password && { password, passwordHistory: withNewPassword(record.passwordHistory, password) }),
  };
  store.saveUser(updated);
  return updated;
}

export interface RegisterOptions {
  /** `skipRegistrationVerification`: mark the registration verified although the application verifies. */
  skipRegistrationVerification: boolean;
}

/** Registration API create: https://fusionauth.io/docs/apis/registrations */
export function register(
  store: StandInStore,
  record: UserRecord,
  input: RegistrationInput | undefined,
  options: RegisterOptions,
): UserRegistration {
  const errors = new FieldErrors();
  const application = input?.applicationId ? store.applications.get(input.applicationId) : undefined;
  if (!input?.applicationId) {
    errors.add('registration.applicationId', '[blank]', 'You must specify the [registration.applicationId] property.');
  } else if (!application || application.tenantId !== record.user.tenantId) {
    errors.add('registration.applicationId', '[invalid]', `The application Id [${input.applicationId}] is not valid.`);
  } else if (record.user.registrations?.some((existing) => existing.applicationId === application.id)) {
    errors.add('registration.applicationId', '[duplicate]', 'The User is already registered for this application.');
  }
  const knownRoles = new Set((application?.roles ?? []).map((role) => role.name));
  const unknownRoles = (input?.roles ?? []).filter((role) => !knownRoles.has(role));
  if (application && unknownRoles.length > 0) {
    errors.add(
      'registration.roles',
      '[invalid]',
      `The roles [${unknownRoles.join(', ')}] do not exist in the application.`,
    );
  }
  errors.throwIfAny();

  const roles =
    input?.roles && input.roles.length > 0
      ? input.roles
      : (application?.roles ?? []).filter((role) => role.isDefault).map((role) => role.name ?? '');
  const now = Date.now();
  const registration: UserRegistration = {
    ...input,
    id: randomUUID(),
    applicationId: application?.id ?? '',
    roles,
    verified: options.skipRegistrationVerification || application?.verifyRegistration !== true,
    insertInstant: now,
    lastUpdateInstant: now,
  };
  record.user.registrations = [...(record.user.registrations ?? []), registration];
  return registration;
}

/** What the User API returns: the stored user, without password material or authenticator secrets. */
export function publicUser(record: UserRecord): User {
  return { ...record.user };
}
