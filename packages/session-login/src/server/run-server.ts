import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '../config/environment.js';

/**
 * Listens, and on SIGINT or SIGTERM (or a crash) stops accepting, lets in-flight requests finish
 * (their session writes included), closes Redis through the app's onClose hooks, then exits: 0
 * after a signal, 1 after an error, or forcibly if closing takes longer than 10 s.
 */
export async function runServer(app: FastifyInstance, address: { host: string; port: number }): Promise<void> {
  closeWithGrace({ delay: 10_000, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen(address);
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
