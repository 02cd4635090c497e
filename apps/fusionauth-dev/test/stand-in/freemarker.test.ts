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
    '[#if user.firstName == "Ann"]hi[/#if]',
    '[#if user.firstName??]hi',
    '[#else]hi[/#if]',
    'hi[/#list]',
    '[#assign url = "x"]',
    '[#-- a comment --]',
    '[#list user.data as value]x[/#list]',
    '[#list (user.data) as key, value]x[/#list]',
    '[#if x??][#setting url_escaping_charset="UTF-8"][/#if]',
    '[#setting url_escaping_charset="ISO-8859-1"]',
    '<#ftl output_format="HTML">\n[#if user.firstName??]hi[/#if]',
    '<#if user.firstName??>hi</#if>',
    '[@helpers.link url="/"/]',
    '<@helpers.link url="/"/>',
    '#{count}',
    '${changePasswordId?url}',
    '[#setting url_escaping_charset="UTF-8"]${changePasswordId?html}',
    '[#setting url_escaping_charset="UTF-8"]${changePasswordId!?url}',
    '${user.firstName + "!"}',
    "${user.firstName!'a'!'b'}",
    '${(user.firstName)}',
    '${user.firstName',
    "${user.lastName!'unterminated}",
  ]) {
    t.throws(() => parseTemplate(template), TemplateError, template);
  }
});

void t.test('[#if …??] tests that a value is there, parentheses covering any step as with !', async (t) => {
  t.equal(renderTemplate('[#if user.firstName??]hi ${user.firstName}[#else]who?[/#if]', model), 'hi Ann');
  t.equal(renderTemplate('[#if user.lastName??]hi[#else]who?[/#if]', model), 'who?');
  t.equal(renderTemplate('[#if user.lastName??]hi[/#if]!', model), '!', 'no [#else]: nothing');
  t.equal(renderTemplate('[#if (state.client_id)??]hosted[#else]app[/#if]', model), 'app', 'no state at all');
  t.equal(
    renderTemplate('[#if (state.client_id)??]hosted[#else]app[/#if]', { ...model, state: { client_id: 'c' } }),
    'hosted',
  );
  t.equal(renderTemplate('[#if (state.client_id)??]x[/#if]', { state: { client_id: null } }), '', 'null is missing');
  t.throws(
    () => renderTemplate('[#if state.client_id??]x[/#if]', model),
    { message: /state is missing/ },
    'without parentheses only the last step may be missing',
  );
  t.equal(
    renderTemplate('[#if user.firstName??][#if user.lastName??]both[#else]first[/#if][/#if]', model),
    'first',
    'nested',
  );
});

void t.test('[#list hash as key, value] lists a hash in its order; ?url escapes as FreeMarker', async (t) => {
  const state = {
    client_id: 'c-1',
    redirect_uri: 'https://store.example.com/api/oauth/callback',
    state: "a b&c=d/é?+%'",
  };
  const link =
    '[#setting url_escaping_charset="UTF-8"]/password/change/${changePasswordId}?x=1[#list state as name, value]&${name?url}=${value?url}[/#list]';
  t.equal(
    renderTemplate(link, { ...model, state }),
    "/password/change/abc_DEF-123?x=1&client_id=c-1&redirect_uri=https%3A%2F%2Fstore.example.com%2Fapi%2Foauth%2Fcallback&state=a%20b%26c%3Dd%2F%C3%A9%3F%2B%25'",
    "FreeMarker's ?url leaves A-Z a-z 0-9 _ - . ! ~ * ' ( ) alone, as encodeURIComponent does",
  );
  t.equal(
    new URL(renderTemplate(link, { ...model, state }), 'http://localhost:9011').searchParams.get('state'),
    state.state,
    'the value comes back byte for byte',
  );
  t.equal(
    renderTemplate(`[#ftl output_format="HTML"]\n${link.replace('&$', '&amp;$')}`, { ...model, state }).endsWith(
      '%2B%25&#39;',
    ),
    true,
    'in HTML, the escaped value is escaped for HTML too',
  );
  t.equal(renderTemplate('[#list state as k, v]${k}[/#list]', { state: {} }), '', 'an empty hash: nothing');
  t.equal(
    renderTemplate('[#list state as user, value]${user}[/#list]${user.firstName}', { ...model, state: { a: 'x' } }),
    'aAnn',
    'a loop variable shadows the model inside the list only',
  );
  t.throws(() => renderTemplate('[#list state as k, v]x[/#list]', model), { message: /state is missing/ });
  t.throws(() => renderTemplate('[#list tags as k, v]x[/#list]', { tags: ['a'] }), { message: /only a hash/ });
  t.throws(
    () => renderTemplate('[#setting url_escaping_charset="UTF-8"]${count?url}', model),
    { message: /only strings/ },
    'a number is not escaped',
  );
});

void t.test("a line of directives only loses its indentation and line break, as FreeMarker's", async (t) => {
  const template = [
    '[#setting url_escaping_charset="UTF-8"]',
    'Hello,',
    '  [#if (state.client_id)??]',
    '  hosted',
    '  [#else]',
    '  app',
    '  [/#if]',
    'Bye [#if user.firstName??]${user.firstName}[/#if]',
    '',
  ].join('\n');
  t.equal(renderTemplate(template, model), 'Hello,\n  app\nBye Ann\n');
  t.equal(
    renderTemplate('[#ftl output_format="HTML"]\r\n[#if user.firstName??]\r\n<p>x</p>\r\n[/#if]\r\n', model),
    '<p>x</p>\r\n',
  );
  t.equal(renderTemplate('a [#if user.firstName??] b [/#if] c', model), 'a  b  c', 'other white space stays');
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
