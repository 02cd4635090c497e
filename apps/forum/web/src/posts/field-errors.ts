import { limits } from '@native-login/forum/schemas';
import { ApiError, messageFor } from '@native-login/login-ui';

/** One text field's limits, and the words its problems are told in. */
export interface TextRule {
  maximum: number;
  /** What to say when there is nothing in it. */
  empty: string;
  /** How a sentence names the field: "The title", "Your reply". */
  name: string;
}

export const postRules = {
  title: { maximum: limits.title, empty: 'Give your post a title.', name: 'The title' },
  body: { maximum: limits.body, empty: 'Write the text of your post.', name: 'The text' },
} as const satisfies Record<string, TextRule>;

export const replyRules = {
  body: { maximum: limits.reply, empty: 'Write your reply before sending it.', name: 'Your reply' },
} as const satisfies Record<string, TextRule>;

export type Problems<Field extends string> = Partial<Record<Field, string>>;

const count = (value: number) => value.toLocaleString('en');

/** The length the backend checks: without the spaces around the text, in UTF-16 units as JavaScript counts. */
export const lengthOf = (value: string): number => value.trim().length;

function tooLong(rule: TextRule, length: number): string {
  const limit = `${rule.name} can be at most ${count(rule.maximum)} characters`;
  return length > rule.maximum ? `${limit}; it has ${count(length)}.` : `${limit}.`;
}

/** What is wrong with one field, checked as the backend will check it; null when nothing is. */
export function problemOf(rule: TextRule, value: string): string | null {
  const length = lengthOf(value);
  if (length === 0) return rule.empty;
  return length > rule.maximum ? tooLong(rule, length) : null;
}

/** Every field's problem at once, before anything is sent. */
export function problemsOf<Field extends string>(
  rules: Record<Field, TextRule>,
  values: Record<Field, string>,
): Problems<Field> {
  const problems: Problems<Field> = {};
  for (const field of Object.keys(rules) as Field[]) {
    const problem = problemOf(rules[field], values[field]);
    if (problem) problems[field] = problem;
  }
  return problems;
}

/**
 * A failed answer of the backend, told like the checks above: `validation_failed` names its field
 * (`body.title: title must not be empty`), and its problem is put in the same words at that field.
 * Anything else is a message for the whole form.
 */
export function answerProblems<Field extends string>(
  error: unknown,
  rules: Record<Field, TextRule>,
  values: Record<Field, string>,
): { fields: Problems<Field>; general: string | null } {
  if (error instanceof ApiError && error.code === 'validation_failed') {
    const match = /^body\.(\w+): (.*)$/.exec(error.message);
    const field = match?.[1];
    if (field !== undefined && Object.hasOwn(rules, field)) {
      const rule = rules[field as Field];
      const value = values[field as Field];
      const problem = /at most/.test(match?.[2] ?? '')
        ? tooLong(rule, lengthOf(value))
        : (problemOf(rule, value) ?? rule.empty);
      return { fields: { [field]: problem } as Problems<Field>, general: null };
    }
  }
  return { fields: {}, general: messageFor(error) };
}
