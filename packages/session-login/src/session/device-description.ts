import Bowser from 'bowser';
import { LRUCache } from 'lru-cache';

/** A description of the device a session was started on longer than this is not a browser's. */
const maximumLength = 40;

/**
 * Descriptions of the User-Agents seen lately. Parsing one takes Bowser longer than all the rest of
 * a session's start, and a deployment's sign-ins come from a few hundred browser versions, each
 * sending the same header every time. A header longer than any browser's is not remembered.
 */
const recent = new LRUCache<string, string>({ max: 500 });
const longestRemembered = 512;

function parsedDescription(userAgent: string): string {
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name) return userAgent.slice(0, maximumLength);
  const name = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ');
  return (os.name ? `${name} on ${os.name}` : name).slice(0, maximumLength);
}

/**
 * The browser and system a User-Agent names, as a user would recognise them in their list of
 * sessions ("Chrome 142 on Linux"), instead of the raw header: a tenth of its size in each stored
 * session, and easier to read. A User-Agent that names no known browser is kept, shortened.
 */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return '';
  const remembered = recent.get(userAgent);
  if (remembered !== undefined) return remembered;
  const description = parsedDescription(userAgent);
  if (userAgent.length <= longestRemembered) recent.set(userAgent, description);
  return description;
}
