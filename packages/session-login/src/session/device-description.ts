import Bowser from 'bowser';

/** A description of the device a session was started on longer than this is not a browser's. */
const maximumLength = 40;

/**
 * The browser and system a User-Agent names, as a user would recognise them in their list of
 * sessions ("Chrome 142 on Linux"), instead of the raw header: a tenth of its size in each stored
 * session, and easier to read. A User-Agent that names no known browser is kept, shortened.
 */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return '';
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name) return userAgent.slice(0, maximumLength);
  const name = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ');
  return (os.name ? `${name} on ${os.name}` : name).slice(0, maximumLength);
}
