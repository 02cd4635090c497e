import { setTimeout as sleep } from 'node:timers/promises';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type AppConfig } from '../config/environment.js';

/**
 * Listens, and on SIGINT or SIGTERM drains, then closes: for `shutdown.drainMs` it keeps accepting
 * and serving while `/readyz` answers 503 (the load balancer takes the instance out meanwhile),
 * then stops accepting, lets in-flight requests finish (their session writes included), closes
 * Redis through the app's onClose hooks, and exits 0. After a crash it closes at once and exits 1.
 * If finishing takes longer than `shutdown.timeoutMs`, it exits all the same.
 */
export async function runServer(app: FastifyInstance, config: AppConfig): Promise<void> {
  const { drainMs, timeoutMs } = config.shutdown;
  closeWithGrace({ delay: drainMs + timeoutMs, logger: app.log }, async ({ signal, err }) => {
    if (err) {
      app.log.error({ err }, 'shutting down after an error');
    } else {
      app.log.info({ signal, drainMs }, 'shutting down: draining, then closing');
      app.shutdown.drain();
      await sleep(drainMs);
    }
    await app.close();
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // Redis that is not what the configuration says is found only once the app starts.
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Configuration error: ${error.message}\n`);
    process.exit(1);
  }
}

/** Reads configuration, or explains what is wrong with it and exits 1 (no stack trace for a typo). */
export function configOrExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
