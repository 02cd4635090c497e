import { loadAppConfig, serverOptions } from '@native-login/session-login';
import { storeApp } from '@native-login/store';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { reportListening } from './child.js';

// The real Store backend, built as its server.ts builds it: production settings, logging at warn.
const config = loadAppConfig('STORE', process.env);
const app = Fastify(serverOptions(config));
await app.register(fp(storeApp), { config });
reportListening(await app.listen({ host: '127.0.0.1', port: 0 }));
