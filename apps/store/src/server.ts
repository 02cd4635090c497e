import { configOrExit, loadAppConfig, runServer } from '@native-login/session-login';
import { buildStoreApp } from './app.js';

const config = configOrExit(() => loadAppConfig('STORE', process.env));
const app = await buildStoreApp({ config });
await runServer(app, { host: config.host, port: config.port });
