import t from 'tap';
import { loadForumConfig } from '../src/index.js';

const valid = {
  FUSIONAUTH_URL: 'http://127.0.0.1:9011',
  FUSIONAUTH_API_KEY: 'a-key',
  FUSIONAUTH_TENANT_ID: 'e7fc534c-1957-45b1-af4a-3fe56c4c6e39',
  FORUM_APPLICATION_ID: '574df58d-2966-43cb-b7a7-87cadd3743f3',
  FORUM_SESSION_SECRET: 's'.repeat(32),
};

void t.test("the Forum's configuration: every app's part, and its own", async (t) => {
  const config = loadForumConfig(valid);
  t.match(config, { prefix: 'FORUM', displayName: 'Forum', port: 3001, keyPrefix: 'forum:' });
  t.equal(config.demoContent, false, 'no demo content unless asked: a deployment starts with an empty Forum');
});

void t.test('FORUM_DEMO_CONTENT is true or false, and named when it is neither', async (t) => {
  for (const [value, expected] of [
    ['true', true],
    ['yes', true],
    ['1', true],
    ['false', false],
    ['no', false],
    ['0', false],
  ] as const) {
    t.equal(loadForumConfig({ ...valid, FORUM_DEMO_CONTENT: value }).demoContent, expected, value);
  }
  t.throws(() => loadForumConfig({ ...valid, FORUM_DEMO_CONTENT: 'on' }), {
    name: 'ConfigError',
    message: 'FORUM_DEMO_CONTENT must be true or false',
  });
});

void t.test("every problem at once: every app's variables and the Forum's own", async (t) => {
  t.throws(() => loadForumConfig({ ...valid, FORUM_APPLICATION_ID: 'forum', FORUM_DEMO_CONTENT: 'sure' }), {
    name: 'ConfigError',
    message: /FORUM_APPLICATION_ID must be a UUID.*; FORUM_DEMO_CONTENT must be true or false$/,
  });
});
