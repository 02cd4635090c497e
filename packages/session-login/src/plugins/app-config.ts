import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config/environment.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's settings, validated once at start-up (see config/environment.ts). */
    config: AppConfig;
  }
}

export interface AppConfigOptions {
  config: AppConfig;
}

/** Shares the app's validated configuration with every plugin and route as `app.config`. */
async function appConfig(app: FastifyInstance, { config }: AppConfigOptions): Promise<void> {
  app.decorate('config', config);
}

export default fp(appConfig, { name: 'app-config', fastify: '5.x' });
