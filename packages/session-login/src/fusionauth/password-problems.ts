import type { Errors } from '@fusionauth/typescript-client';

/**
 * FusionAuth's password rules, as its error codes name them (`[tooShort]user.password`), in words
 * for the person choosing the password. The codes come from the tenant's password validation rules
 * and, on editions that have it, breached-password detection; one answer may carry several.
 * https://fusionauth.io/docs/apis/users#create-a-user (the 400 response's `fieldErrors`)
 */
const sentences: Record<string, (limit: number | undefined) => string> = {
  '[blank]': () => 'Choose a password.',
  '[tooShort]': (limit) => (limit === undefined ? 'Choose a longer password.' : `Use at least ${limit} characters.`),
  '[tooLong]': (limit) => (limit === undefined ? 'Choose a shorter password.' : `Use at most ${limit} characters.`),
  '[singleCase]': () => 'Use both upper and lower case letters.',
  '[onlyAlpha]': () => 'Add a character that is neither a letter nor a digit, such as ! or #.',
  '[requireNumber]': () => 'Add a digit.',
  '[previouslyUsed]': () => 'Choose a password you have not used recently.',
  '[tooYoung]': () => 'Your password was changed moments ago; try again a little later.',
  '[breachedCommonPassword]': () => 'That password is too common; choose one that is harder to guess.',
  '[breachedExactMatch]': () =>
    'That password has appeared in a data breach elsewhere; choose one you have not used anywhere else.',
  '[breachedSubAddressMatch]': () =>
    'That password has appeared in a data breach elsewhere; choose one you have not used anywhere else.',
  '[breachedPasswordOnly]': () =>
    'That password has appeared in a data breach elsewhere; choose one you have not used anywhere else.',
};

/** The code's rule, without the field FusionAuth appends to it: `[tooShort]user.password` → `[tooShort]`. */
const ruleOf = (code: string) => /^\[[A-Za-z]+\]/.exec(code)?.[0] ?? code;

/** The limit FusionAuth's message states, its last bracketed number: "…minimum of [8] characters." */
function limitIn(message: string | undefined): number | undefined {
  const numbers = [...(message ?? '').matchAll(/\[(\d+)\]/g)];
  const last = numbers.at(-1)?.[1];
  return last === undefined ? undefined : Number(last);
}

/**
 * What is wrong with the password a 400 answer refused, one sentence per problem, in FusionAuth's
 * order; empty when the answer names no problem with `field` (`user.password` on the User and
 * Registration APIs, `password` on the Change Password API). A code this list does not know yet
 * still gets a sentence: the person must never be left without one.
 */
export function passwordProblems(errors: Errors | undefined, field: string): string[] {
  const problems = (errors?.fieldErrors?.[field] ?? []).map(({ code, message }) => {
    const sentence = sentences[ruleOf(code ?? '')];
    return sentence ? sentence(limitIn(message)) : 'Choose a different password.';
  });
  return [...new Set(problems)];
}
