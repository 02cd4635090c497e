import closeWithGrace from 'close-with-grace';
import { ConfigError as StandInConfigError } from '@native-login/fusionauth-dev';
import { ConfigError } from '@native-login/session-login';
import { readEnvFileOrExit } from './env-file.js';
import { describeStack, startStack, type RunningStack } from './stack.js';

// Before anything reads the environment: the repository's .env, when there is one (the environment wins).
readEnvFileOrExit();

let stack: RunningStack;
try {
  stack = await startStack(process.env);
} catch (error) {
  if (error instanceof ConfigError || error instanceof StandInConfigError) {
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
process.stdout.write(describeStack(stack));

const running = stack;
closeWithGrace({ delay: 10_000 }, async ({ err }) => {
  if (err) process.stderr.write(`Stopping after an error: ${err.stack ?? String(err)}\n`);
  await running.close();
});
