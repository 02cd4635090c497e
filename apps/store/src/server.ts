import { configOrExit, loadAppConfig, runServer, serverOptions } from '@native-login/session-login';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import storeApp from './app.js';

const config = configOrExit(() => loadAppConfig('STORE', process.env));
const app = Fastify(serverOptions(config));
await app.register(fp(storeApp), { config });
await runServer(app, config);
