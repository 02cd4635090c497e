import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The repository's `.env`. This module runs from apps/stack/src (tests, dev conditions) or
 * apps/stack/dist (`node dist/main.js`): either way three levels under the root.
 */
export const rootEnvFile = fileURLToPath(new URL('../../../.env', import.meta.url));

export class EnvFileError extends Error {
  override name = 'EnvFileError';
}

/**
 * Adds the settings of a `.env` file to process.env, with Node's own parser. A variable the
 * environment already has wins over the file, even when it is empty: process.loadEnvFile never
 * overrides one (checked on Node 20.20: `A=from-env` in the environment and `A=from-file` in the
 * file leave `from-env`; `A=` leaves the empty string). Answers the file's path, or undefined when
 * there is no file; throws EnvFileError when it is there but cannot be read (a folder, no access).
 * Node's parser itself never refuses a file: lines it cannot read are skipped.
 */
export function readEnvFile(path: string = rootEnvFile): string | undefined {
  try {
    process.loadEnvFile(path);
    return path;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Node's own words for a folder are "Contents of '…' should be a valid string".
    const reason = statSync(path, { throwIfNoEntry: false })?.isDirectory()
      ? 'it is a folder, not a file'
      : error instanceof Error
        ? error.message
        : String(error);
    throw new EnvFileError(`cannot read ${path}: ${reason}`);
  }
}

/** For the entry points: reads `.env` and says so, or explains in one line why it cannot and exits 1. */
export function readEnvFileOrExit(path: string = rootEnvFile): void {
  try {
    const read = readEnvFile(path);
    if (read !== undefined) process.stdout.write(`Read settings from ${read}\n`);
  } catch (error) {
    if (!(error instanceof EnvFileError)) throw error;
    process.stderr.write(`Settings error: ${error.message}\n`);
    process.exit(1);
  }
}
