import { z } from 'zod';

/**
 * The ways forward from the sign-in card that reach FusionAuth through this backend: creating an
 * account, resetting a forgotten password, choosing a new password when FusionAuth requires one,
 * and verifying an email address. Passwords pass through to FusionAuth and are never kept.
 */

const emailAddress = z.email('enter your email address').max(320);
const newPasswordField = z.string().min(1, 'choose a password').max(256, 'use at most 256 characters');
/** The id in a link FusionAuth emailed (a `changePasswordId` or a `verificationId`): opaque, URL-safe. */
const emailedId = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `the link has no ${what}`)
    .max(512)
    .regex(/^[\w-]+$/, `the link's ${what} is not valid`);
const nameField = z.string().trim().max(100, 'use at most 100 characters');

/** `POST /api/sign-up`: a new account, registered for this app only. */
export const signUp = z
  .object({
    email: z.string().trim().pipe(emailAddress),
    password: newPasswordField,
    firstName: nameField.optional(),
    lastName: nameField.optional(),
  })
  .meta({ id: 'SignUp' });
export type SignUp = z.infer<typeof signUp>;

/** `POST /api/password/forgot` and `POST /api/email/resend-verification`: whom to email. */
export const emailRequest = z.object({ email: z.string().trim().pipe(emailAddress) }).meta({ id: 'EmailRequest' });
export type EmailRequest = z.infer<typeof emailRequest>;

/** `POST /api/password/reset`: the id from the reset email, and the new password. */
export const passwordReset = z
  .object({ changePasswordId: emailedId('reset code'), password: newPasswordField })
  .meta({ id: 'PasswordReset' });
export type PasswordReset = z.infer<typeof passwordReset>;

/** `POST /api/login/change-password`: the new password of a sign-in that FusionAuth held back (203). */
export const newPassword = z.object({ password: newPasswordField }).meta({ id: 'NewPassword' });
export type NewPassword = z.infer<typeof newPassword>;

/** `POST /api/email/verify`: the id from the verification email. */
export const emailVerification = z
  .object({ verificationId: emailedId('verification code') })
  .meta({ id: 'EmailVerification' });
export type EmailVerification = z.infer<typeof emailVerification>;

/**
 * An email may be on its way: the same answer whether or not an account uses the address, so that
 * nobody learns from it who has one.
 */
export const checkEmail = z.object({ code: z.literal('check_email'), message: z.string() }).meta({ id: 'CheckEmail' });
export type CheckEmail = z.infer<typeof checkEmail>;

/** The address is verified: its owner may sign in now. */
export const emailVerified = z
  .object({ code: z.literal('email_verified'), message: z.string() })
  .meta({ id: 'EmailVerified' });
export type EmailVerified = z.infer<typeof emailVerified>;
