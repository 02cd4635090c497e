import { applicationIdByName, readKickstartFile, summarizeKickstart } from '@native-login/kickstart';
import { buildStandIn } from '@native-login/fusionauth-dev';
import type { Test } from 'tap';

export interface RunningStandIn {
  url: string;
  apiKey: string;
  tenantId: string;
  storeApplicationId: string;
  forumApplicationId: string;
  reset(): Promise<void>;
  /** The refresh-token values the stand-in holds for a user (FusionAuth's API never shows them). */
  refreshTokensOf(userId: string): string[];
}

/** The FusionAuth stand-in seeded from the project's kickstart, on a free port, closed after the test. */
export async function startStandIn(t: Test): Promise<RunningStandIn> {
  const app = await buildStandIn({ kickstart: await readKickstartFile(), passwordHashIterations: 1_000 });
  t.teardown(() => app.close());
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const summary = summarizeKickstart(app.standIn.kickstart ?? { variables: {}, apiKeys: [], requests: [] });
  return {
    url,
    apiKey: summary.apiKey ?? '',
    tenantId: summary.tenantId ?? '',
    storeApplicationId: applicationIdByName(summary, 'Store'),
    forumApplicationId: applicationIdByName(summary, 'Forum'),
    reset: () => app.standIn.reset(),
    refreshTokensOf: (userId) =>
      [...app.standIn.store.refreshTokens.values()]
        .filter((token) => token.userId === userId)
        .map((token) => token.token),
  };
}
