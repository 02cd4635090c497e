import { assertOpenApiListsEveryRoute, startStandIn, testConfig } from '@native-login/test-support';
import t from 'tap';
import { forumApp } from '../src/index.js';

const standIn = await startStandIn(t);

void t.test("the Forum's OpenAPI document is valid and lists every route, its errors included", async (t) => {
  await assertOpenApiListsEveryRoute(t, forumApp, testConfig('FORUM', standIn, { FORUM_LOGIN_FLOWS: 'native,oauth' }));
});
