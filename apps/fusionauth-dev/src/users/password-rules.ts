import { verifyPassword, type PasswordHash } from '../crypto/passwords.js';
import type { FieldErrors } from '../http/api-error.js';
import type { TenantRecord } from '../state/records.js';
import { rememberedPasswordsIncludeCurrent } from './assumptions.js';

/** The tenant's `passwordValidationRules`, with FusionAuth's defaults where it leaves one out. */
export interface PasswordRules {
  minLength: number;
  maxLength: number;
  requireMixedCase: boolean;
  requireNonAlpha: boolean;
  requireNumber: boolean;
  /** How many earlier passwords may not be used again; 0 when `rememberPreviousPasswords` is off. */
  remembered: number;
}

export function passwordRules(tenant: TenantRecord | undefined): PasswordRules {
  const rules = tenant?.passwordValidationRules;
  return {
    minLength: rules?.minLength ?? 8,
    maxLength: rules?.maxLength ?? 256,
    requireMixedCase: rules?.requireMixedCase ?? false,
    requireNonAlpha: rules?.requireNonAlpha ?? false,
    requireNumber: rules?.requireNumber ?? false,
    remembered: rules?.rememberPreviousPasswords?.enabled ? (rules.rememberPreviousPasswords.count ?? 1) : 0,
  };
}

/**
 * Checks a password against the tenant's rules as FusionAuth does: its length first (`[tooShort]`,
 * `[tooLong]`), then at most one character rule, in this order: `[singleCase]` (an upper and a lower
 * case letter), `[onlyAlpha]` (a character that is neither a letter nor a digit), `[requireNumber]`.
 * A blank password is left to the caller (`[blank]`). Breached-password detection is an
 * Enterprise feature; the Community edition, which the stand-in is, never checks.
 * `field` is the request's: `user.password` on the User and Registration APIs, `password` on the
 * Change Password API.
 */
export function checkPasswordRules(rules: PasswordRules, password: string, field: string, errors: FieldErrors): void {
  if (password.length > rules.maxLength) {
    errors.add(
      field,
      '[tooLong]',
      `The [${field}] property is longer than the maximum of [${rules.maxLength}] characters.`,
    );
  }
  if (password.length < rules.minLength) {
    errors.add(
      field,
      '[tooShort]',
      `The [${field}] property is shorter than the minimum of [${rules.minLength}] characters.`,
    );
  }
  if (rules.requireMixedCase && !(/\p{Ll}/u.test(password) && /\p{Lu}/u.test(password))) {
    errors.add(field, '[singleCase]', `The [${field}] property must contain an upper and a lower case letter.`);
  } else if (rules.requireNonAlpha && !/[^\p{Alphabetic}\p{Nd}]/u.test(password)) {
    errors.add(
      field,
      '[onlyAlpha]',
      `The [${field}] property must contain a character that is neither a letter nor a digit.`,
    );
  } else if (rules.requireNumber && !/\p{Nd}/u.test(password)) {
    errors.add(field, '[requireNumber]', `The [${field}] property must contain a number.`);
  }
}

/** Whether a new password is one of the user's last `remembered` passwords (`[previouslyUsed]`). */
export async function previouslyUsed(
  rules: PasswordRules,
  password: string,
  history: readonly PasswordHash[],
): Promise<boolean> {
  if (rules.remembered === 0) return false;
  const remembered = rememberedPasswordsIncludeCurrent
    ? history.slice(0, rules.remembered)
    : history.slice(1, rules.remembered + 1);
  for (const earlier of remembered) {
    if (await verifyPassword(password, earlier)) return true;
  }
  return false;
}

/** Past the largest `rememberPreviousPasswords.count` FusionAuth allows (20), nothing is compared. */
const historyLength = 21;

/** The history after a password change: the new hash first. */
export function withNewPassword(history: readonly PasswordHash[], hash: PasswordHash): PasswordHash[] {
  return [hash, ...history].slice(0, historyLength);
}
