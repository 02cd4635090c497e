import { configOrExit, loadAppConfig, runServer } from '@native-login/session-login';
import { buildForumApp } from './app.js';

const config = configOrExit(() => loadAppConfig('FORUM', process.env));
const app = await buildForumApp({ config });
await runServer(app, { host: config.host, port: config.port });
