import { assertOpenApiListsEveryRoute, startStandIn, testConfig } from '@native-login/test-support';
import t from 'tap';
import { storeApp } from '../src/index.js';

const standIn = await startStandIn(t);

void t.test("the Store's OpenAPI document is valid and lists every route, its errors included", async (t) => {
  await assertOpenApiListsEveryRoute(t, storeApp, testConfig('STORE', standIn, { STORE_LOGIN_FLOWS: 'native,oauth' }));
});
