import closeWithGrace from 'close-with-grace';
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

closeWithGrace({ delay: 10_000, logger: app.log }, async () => {
  await app.close();
});
const url = await app.listen({ host: config.FUSIONAUTH_DEV_HOST, port: config.FUSIONAUTH_DEV_PORT });
process.stdout.write(describeStandIn(url, app.standIn.kickstart));
