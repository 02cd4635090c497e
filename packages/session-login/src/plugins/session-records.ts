import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MemorySessionRecords } from '../session/records/memory-session-records.js';
import { RedisSessionRecords } from '../session/records/redis-session-records.js';
import type { SessionRecords } from '../session/records/session-records.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where this app's session records live: read by the session layer, the sessions API and webhooks. */
    sessionRecords: SessionRecords;
  }
}

/** The session records of the app: in Redis, or in this process's memory in the embedded mode. */
async function sessionRecords(app: FastifyInstance): Promise<void> {
  const { config, storage } = app;
  if (storage.redis) {
    const replication = config.redis?.replication;
    app.decorate(
      'sessionRecords',
      new RedisSessionRecords(
        storage.redis,
        storage.keyPrefix,
        config.session.absoluteTimeoutMs,
        replication && {
          ...replication,
          onShortfall: (acknowledged) =>
            app.log.warn(
              { acknowledged, asked: replication.replicas, timeoutMs: replication.timeoutMs },
              'a session write reached fewer Redis replicas than REDIS_WAIT_REPLICAS in time: a failover now could undo it',
            ),
        },
      ),
    );
    return;
  }
  const memory = new MemorySessionRecords();
  app.addHook('onClose', async () => memory.close());
  app.decorate('sessionRecords', memory);
}

export default fp(sessionRecords, { name: 'session-records', fastify: '5.x', dependencies: ['app-config', 'storage'] });
