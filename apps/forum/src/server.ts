import { configOrExit, runServer, serverOptions } from '@native-login/session-login';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import forumApp from './app.js';
import { loadForumConfig } from './config.js';

const config = configOrExit(() => loadForumConfig(process.env));
const app = Fastify(serverOptions(config));
await app.register(fp(forumApp), { config });
await runServer(app, config);
