import t from 'tap';
import { parseTemplate, renderTemplate, TemplateError } from '../../src/email/freemarker.js';
import { linksIn } from '../../src/email/mailbox.js';

const model = {
  user: { firstName: 'Ann', email: 'ann@example.com', data: {} },
  application: { name: 'Store', data: { origin: 'https://store.example.com' } },
  changePasswordId: 'abc_DEF-123',
  count: 3,
  flag: true,
};

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('interpolations: dotted paths, defaults for the last step or, in parentheses, any', async (t) => {
  t.equal(renderTemplate('Hello ${user.firstName}!', model), 'Hello Ann!');
  t.equal(
    renderTemplate('${application.data.origin}/reset-password?id=${changePasswordId}', model),
    'https://store.example.com/reset-password?id=abc_DEF-123',
  );
  t.equal(renderTemplate("${user.lastName!'there'}", model), 'there');
  t.equal(renderTemplate('[${user.lastName!}]', model), '[]');
  t.equal(renderTemplate('${user.lastName!"double"}', model), 'double');
  t.equal(
    renderTemplate("${(tenant.data.origin)!'https://fallback.example.com'}", model),
    'https://fallback.example.com',
  );
  t.equal(renderTemplate("${ ( application.data.origin ) ! 'unused' }", model), 'https://store.example.com');
  t.equal(renderTemplate("${user.lastName!'it\\'s } here'}", model), "it's } here", 'quotes and braces in a default');
  t.equal(renderTemplate('no interpolation at all', model), 'no interpolation at all');
});

void t.test('a missing value is an error, as in FreeMarker, unless a default covers it', async (t) => {
  t.throws(() => renderTemplate('${user.lastName}', model), TemplateError);
  t.throws(
    () => renderTemplate("${tenant.data.origin!'x'}", model),
    { message: /tenant is missing/ },
    'without parentheses the default covers the last step only',
  );
  t.throws(() => renderTemplate('${user.constructor}', model), TemplateError, 'no reaching into the prototype');
  t.throws(() => renderTemplate('${user.__proto__}', model), TemplateError);
  t.throws(() => renderTemplate('${count}', model), { message: /only strings/ });
  t.throws(() => renderTemplate('${flag}', model), { message: /only strings/ });
  t.throws(() => renderTemplate('${user.data}', model), { message: /only strings/ });
});

void t.test('FreeMarker outside the subset is refused, not rendered differently', async (t) => {
  for (const template of [
    '[#if user.firstName??]hi[/#if]',
    '<#if user.firstName??>hi</#if>',
    '[@helpers.link url="/"/]',
    '<@helpers.link url="/"/>',
    '#{count}',
    '${changePasswordId?url}',
    '${user.firstName + "!"}',
    "${user.firstName!'a'!'b'}",
    '${(user.firstName)}',
    '${user.firstName',
    "${user.lastName!'unterminated}",
  ]) {
    t.throws(() => parseTemplate(template), TemplateError, template);
  }
});

void t.test('HTML templates escape only with the output format header, as FusionAuth does', async (t) => {
  const hostile = { user: { firstName: `<script>alert('x')</script> & "friends"` } };
  t.equal(
    renderTemplate('[#ftl output_format="HTML"]\n<p>Hello ${user.firstName}</p>', hostile),
    '<p>Hello &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot;</p>',
  );
  t.equal(
    renderTemplate('<#ftl output_format="HTML">\n<a href="${user.firstName}">', hostile),
    '<a href="&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot;">',
  );
  t.equal(
    renderTemplate('Hello ${user.firstName}', hostile),
    `Hello <script>alert('x')</script> & "friends"`,
    'no header, no escaping: FusionAuth sets no output format on email templates (fusionauth-issues#2715)',
  );
  t.equal(renderTemplate('[#ftl output_format="HTML"]<b>${(user.firstName)!"<i>"}</b>', {}), '<b>&lt;i&gt;</b>');
});

void t.test("the mailbox's links: the HTML's hrefs and the text's URLs, http(s) only", async (t) => {
  t.same(
    linksIn(
      '<a href="https://store.example.com/reset-password?id=a&amp;b=1">x</a> <a href=\'javascript:alert(1)\'>y</a> <a href="/relative">z</a>',
      'Visit https://forum.example.com/verify-email?id=Q1, or https://store.example.com/reset-password?id=a&b=1.',
    ),
    ['https://store.example.com/reset-password?id=a&b=1', 'https://forum.example.com/verify-email?id=Q1'],
  );
});
