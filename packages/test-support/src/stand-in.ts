import { randomUUID } from 'node:crypto';
import { FusionAuthClient, type User } from '@fusionauth/typescript-client';
import {
  applicationIdByName,
  clientSecretByName,
  readKickstartFile,
  summarizeKickstart,
} from '@native-login/kickstart';
import { buildStandIn } from '@native-login/fusionauth-dev';
import type { Test } from 'tap';

export interface RunningStandIn {
  url: string;
  apiKey: string;
  tenantId: string;
  storeApplicationId: string;
  forumApplicationId: string;
  /** The kickstart's OAuth client secrets of the two applications. */
  storeClientSecret: string;
  forumClientSecret: string;
  reset(): Promise<void>;
  /** The refresh-token values the stand-in holds for a user (FusionAuth's API never shows them). */
  refreshTokensOf(userId: string): string[];
  /** The emails the stand-in "sent" to an address (its development mailbox), newest first. */
  emailsTo(address: string): Array<{ subject: string; links: string[]; template: { name: string } }>;
  /**
   * The id in the newest emailed link to `path` (`/reset-password`, `/verify-email`) sent to
   * `address`: what the person would open. Undefined when no such email came.
   */
  emailedId(address: string, path: string): string | undefined;
  /** The official client, with the kickstart's API key and tenant, for setting up what a test needs. */
  client: FusionAuthClient;
  /**
   * A user of the test's own (password `password123`, email verified), registered for one
   * application; `user` adds to or overrides the user's fields.
   */
  registerUser(options: {
    applicationId: string;
    user?: Partial<User>;
    skipRegistrationVerification?: boolean;
  }): Promise<{ id: string; email: string }>;
}

/**
 * The FusionAuth stand-in seeded from the project's kickstart, on a free port, closed after the
 * test. The kickstart's tenant issuer is `http://localhost:9011`, the address of `npm start`; here
 * it becomes the address the stand-in listens on, which tests reach it at, browser and back channel
 * alike, so that the OAuth flow's issuer checks hold (discovery, tokens and redirects all name it).
 */
export async function startStandIn(t: Test): Promise<RunningStandIn> {
  const app = await buildStandIn({ kickstart: await readKickstartFile(), passwordHashIterations: 1_000 });
  t.teardown(() => app.close());
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const summary = summarizeKickstart(app.standIn.kickstart ?? { variables: {}, apiKeys: [], requests: [] });
  const client = new FusionAuthClient(summary.apiKey ?? '', url, summary.tenantId ?? '');
  const issueAsListening = () => client.patchTenant(summary.tenantId ?? '', { tenant: { issuer: url } });
  await issueAsListening();
  const emailsTo = (address: string) =>
    app.standIn.store.mailbox.list().filter((email) => email.to.toLowerCase() === address.toLowerCase());
  return {
    url,
    apiKey: summary.apiKey ?? '',
    tenantId: summary.tenantId ?? '',
    storeApplicationId: applicationIdByName(summary, 'Store'),
    forumApplicationId: applicationIdByName(summary, 'Forum'),
    storeClientSecret: clientSecretByName(summary, 'Store'),
    forumClientSecret: clientSecretByName(summary, 'Forum'),
    async reset() {
      await app.standIn.reset();
      await issueAsListening();
    },
    refreshTokensOf: (userId) =>
      [...app.standIn.store.refreshTokens.values()]
        .filter((token) => token.userId === userId)
        .map((token) => token.token),
    emailsTo,
    emailedId(address, path) {
      for (const email of emailsTo(address)) {
        const link = email.links.map((candidate) => new URL(candidate)).find((url) => url.pathname === path);
        // The id is in the fragment, which no server (nor its log) ever sees.
        if (link) return new URLSearchParams(link.hash.slice(1)).get('id') ?? undefined;
      }
      return undefined;
    },
    client,
    async registerUser({ applicationId, user = {}, skipRegistrationVerification = true }) {
      const email = user.email ?? `user-${randomUUID()}@example.com`;
      const created = await client.register('', {
        user: { password: 'password123', ...user, email },
        registration: { applicationId },
        skipVerification: true,
        skipRegistrationVerification,
      });
      return { id: created.response.user?.id ?? '', email };
    },
  };
}
