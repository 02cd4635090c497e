import { Browser } from '@native-login/test-support';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';

const fixture = await notesFixture(t);
const app = await fixture.build();

void t.test('security headers, and no-store on authenticated answers and on anything that sets a cookie', async (t) => {
  const browser = new Browser(app);
  const login = await browser.login('shopper@example.com');
  t.equal(login.headers['cache-control'], 'no-store', 'the answer that sets the cookie');
  const notes = await browser.send('GET', '/api/notes');
  t.equal(notes.headers['cache-control'], 'no-store', 'an authenticated answer');
  const logout = await browser.send('POST', '/api/logout');
  t.equal(logout.headers['cache-control'], 'no-store', 'the answer that clears the cookie');
  t.match(notes.headers['content-security-policy'], /default-src 'none'.*script-src 'self'.*frame-ancestors 'none'/);
  t.equal(notes.headers['x-content-type-options'], 'nosniff');
  t.ok(notes.headers['strict-transport-security'], 'HSTS (browsers heed it over https only)');
});
