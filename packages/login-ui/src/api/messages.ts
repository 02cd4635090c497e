import { ApiError } from './api-client.js';

function retryIn(seconds: number | undefined): string {
  if (!seconds) return 'Please wait a moment and try again.';
  if (seconds < 90) return `Try again in ${seconds} seconds.`;
  return `Try again in ${Math.ceil(seconds / 60)} minutes.`;
}

/**
 * What a person reads for each answer of the API: plain words, and what to do next. `step` tells
 * the sign-in form's answers from the code form's.
 */
export function messageFor(error: unknown, appName: string, step: 'sign-in' | 'code' | 'app' = 'app'): string {
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'invalid_credentials':
      return 'That email address and password do not match an account.';
    case 'not_registered':
      return `Your account exists, but it is not registered for the ${appName}.`;
    case 'password_change_required':
      return 'You need to change your password before you can sign in.';
    case 'email_not_verified':
      return 'Please verify your email address first: look for the message we sent you.';
    case 'registration_not_verified':
      return `Your ${appName} registration has not been verified yet.`;
    case 'invalid_code':
      return 'That code is not right. Check your authenticator app and try again.';
    case 'two_factor_expired':
      return 'That sign-in took too long. Please enter your email address and password again.';
    case 'too_many_attempts':
      return `Too many attempts. ${retryIn(error.retryAfterSeconds)}`;
    case 'too_many_codes':
      return 'Too many wrong codes. Please enter your email address and password again.';
    case 'identity_unavailable':
      return `Signing in is unavailable right now. ${retryIn(error.retryAfterSeconds)}`;
    case 'session_store_unavailable':
      return `The ${appName} cannot keep you signed in right now. ${retryIn(error.retryAfterSeconds)}`;
    case 'network_error':
      return 'The server cannot be reached. Check your connection and try again.';
    case 'validation_failed':
      if (step === 'code') return 'Enter the six-digit code from your authenticator app.';
      if (step === 'sign-in') return 'Please enter your email address and password.';
      return error.message;
    default:
      return error.message || 'Something went wrong. Please try again.';
  }
}
