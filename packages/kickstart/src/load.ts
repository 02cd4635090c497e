import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { kickstartSchema, type Kickstart } from './schema.js';

/** The kickstart that docker/docker-compose.yml mounts into FusionAuth; the stand-in seeds from it too. */
export const defaultKickstartPath = fileURLToPath(
  new URL('../../../docker/fusionauth/kickstart.json', import.meta.url),
);

export class KickstartFileError extends Error {
  override name = 'KickstartFileError';
}

/** Reads and validates a kickstart file; placeholders are left for `substituteKickstart`. */
export async function readKickstartFile(path: string = defaultKickstartPath): Promise<Kickstart> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new KickstartFileError(`cannot read kickstart file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KickstartFileError(`kickstart file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = kickstartSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new KickstartFileError(`kickstart file ${path} is malformed at ${where}: ${issue?.message}`);
  }
  return parsed.data;
}
