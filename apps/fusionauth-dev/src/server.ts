import { readKickstartFile } from '@native-login/kickstart';
import { buildStandIn } from './app.js';
import { describeStandIn } from './banner.js';
import { readConfig } from './config.js';

const config = readConfig(process.env);
const kickstart = config.FUSIONAUTH_DEV_EMPTY ? undefined : await readKickstartFile(config.FUSIONAUTH_DEV_KICKSTART);
const app = await buildStandIn({
  kickstart,
  env: process.env,
  passwordHashIterations: config.FUSIONAUTH_DEV_PASSWORD_ITERATIONS,
  logger: { level: config.LOG_LEVEL },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'stopping');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'could not stop cleanly');
        process.exit(1);
      },
    );
  });
}

const url = await app.listen({ host: config.FUSIONAUTH_DEV_HOST, port: config.FUSIONAUTH_DEV_PORT });
process.stdout.write(describeStandIn(url, app.standIn.kickstart));
