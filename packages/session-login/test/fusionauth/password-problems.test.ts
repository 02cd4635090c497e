import t from 'tap';
import { passwordProblems } from '../../src/fusionauth/password-problems.js';

const refused = (field: string, ...errors: Array<{ code: string; message: string }>) => ({
  fieldErrors: { [field]: errors },
});

void t.test(
  'each of the tenant rules FusionAuth names is said in words, with the limit its message gives',
  async (t) => {
    const answer = refused(
      'user.password',
      {
        code: '[tooShort]user.password',
        message: 'The [user.password] property is shorter than the minimum of [10] characters.',
      },
      {
        code: '[singleCase]user.password',
        message: 'The [user.password] property must contain an upper and a lower case letter.',
      },
    );
    t.same(passwordProblems(answer, 'user.password'), [
      'Use at least 10 characters.',
      'Use both upper and lower case letters.',
    ]);
  },
);

void t.test('the Change Password API names the field `password`, and only the named field counts', async (t) => {
  const answer = refused('password', {
    code: '[tooLong]password',
    message: 'The [password] property is longer than the maximum of [256] characters.',
  });
  t.same(passwordProblems(answer, 'password'), ['Use at most 256 characters.']);
  t.same(passwordProblems(answer, 'user.password'), [], 'a problem with another field is not the password');
});

void t.test('a message without a number still gives a sentence, and so does a code not known yet', async (t) => {
  const answer = refused(
    'user.password',
    { code: '[tooShort]user.password', message: 'Too short.' },
    { code: '[somethingNew]user.password', message: 'The [user.password] property is not allowed.' },
  );
  t.same(passwordProblems(answer, 'user.password'), ['Choose a longer password.', 'Choose a different password.']);
});

void t.test('every breached-password code reads as a breach, said once however many codes say it', async (t) => {
  const answer = refused(
    'user.password',
    { code: '[breachedExactMatch]user.password', message: 'breached' },
    { code: '[breachedSubAddressMatch]user.password', message: 'breached' },
  );
  t.equal(passwordProblems(answer, 'user.password').length, 1);
  t.match(passwordProblems(answer, 'user.password')[0], /data breach/);
  t.match(
    passwordProblems(
      refused('user.password', { code: '[breachedCommonPassword]user.password', message: '' }),
      'user.password',
    ),
    [/too common/],
  );
});

void t.test(
  'the other rules: blank, no number, only letters and digits, used before, changed too recently',
  async (t) => {
    for (const [code, expected] of [
      ['[blank]', /Choose a password/],
      ['[requireNumber]', /digit/],
      ['[onlyAlpha]', /neither a letter nor a digit/],
      ['[previouslyUsed]', /not used recently/],
      ['[tooYoung]', /a little later/],
    ] as const) {
      t.match(
        passwordProblems(refused('password', { code: `${code}password`, message: '' }), 'password'),
        [expected],
        code,
      );
    }
  },
);

void t.test('no errors, or none for any field, is no problem', async (t) => {
  t.same(passwordProblems(undefined, 'password'), []);
  t.same(passwordProblems({}, 'password'), []);
  t.same(passwordProblems({ generalErrors: [{ code: '[x]', message: 'x' }] }, 'password'), []);
});
