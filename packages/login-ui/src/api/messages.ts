import { ApiError } from './api-client.js';

const fallback = 'Something went wrong. Please try again.';

/** A field's validation message (`body.loginId: enter your email address`) as a sentence. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return fallback;
  const capitalised = `${trimmed[0]?.toUpperCase() ?? ''}${trimmed.slice(1)}`;
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/**
 * What a person reads for an answer of the API. The backend writes each answer's message for
 * them (`{ code, message }`), so it is shown as it is (the API client words the one answer no
 * server gives: none at all). A validation failure is shown in the field's own words, without
 * the path that names the field.
 */
export function messageFor(error: unknown): string {
  if (!(error instanceof ApiError)) return fallback;
  if (error.code === 'validation_failed') return sentence(error.message.replace(/^[\w.[\]]+: /, ''));
  return error.message || fallback;
}
