import { ConfigError, loadAppConfig, type AppConfig } from '@native-login/session-login';
import { z } from 'zod';

/** The variables only the Forum reads, beside the `FORUM_*` ones every app has. */
const forumVariables = z.object({
  /**
   * Writes a few posts and replies by the kickstart's demo users at start-up, once: for the demo
   * stack, which turns it on. A deployment starts with an empty Forum.
   */
  FORUM_DEMO_CONTENT: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: () => 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes'),
});

/** What the Forum reads on top of every app's configuration. */
export interface ForumSettings {
  demoContent: boolean;
}

export type ForumConfig = AppConfig & ForumSettings;

/**
 * Reads the Forum's configuration from the environment: every app's `FORUM_*` variables and the
 * Forum's own. Every problem is reported at once, each naming its variable.
 */
export function loadForumConfig(env: Readonly<Record<string, string | undefined>>): ForumConfig {
  const problems: string[] = [];
  let shared: AppConfig | undefined;
  try {
    shared = loadAppConfig('FORUM', env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
  }
  const own = forumVariables.safeParse(env);
  if (!own.success) problems.push(...own.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  if (!shared || !own.success) throw new ConfigError(problems.join('; '));
  return { ...shared, demoContent: own.data.FORUM_DEMO_CONTENT };
}
