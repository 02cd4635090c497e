import t from 'tap';
import { kickstartEnvironment } from '../src/index.js';

void t.test(
  "the kickstart's variables: the development origins unless set, webhooks on the origin's route",
  async (t) => {
    t.match(kickstartEnvironment({}), {
      STORE_ORIGIN: 'http://localhost:3000',
      FORUM_ORIGIN: 'http://localhost:3001',
      STORE_WEBHOOK_URL: 'http://localhost:3000/api/fusionauth/webhook',
      FORUM_WEBHOOK_URL: 'http://localhost:3001/api/fusionauth/webhook',
    });
    t.match(
      kickstartEnvironment({
        STORE_ORIGIN: 'https://store.example.com/',
        FORUM_WEBHOOK_URL: 'http://forum.internal/hook',
      }),
      {
        STORE_ORIGIN: 'https://store.example.com',
        STORE_WEBHOOK_URL: 'https://store.example.com/api/fusionauth/webhook',
        FORUM_WEBHOOK_URL: 'http://forum.internal/hook',
      },
      'an origin loses its trailing slash, as the apps read it; a webhook URL set is kept',
    );
    t.equal(kickstartEnvironment({ OTHER: 'kept' })['OTHER'], 'kept', 'the rest of the environment is passed on');
  },
);
