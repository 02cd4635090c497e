import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { rootEnvFile as builtRootEnvFile } from '../dist/env-file.js';
import { EnvFileError, readEnvFile, readEnvFileOrExit, rootEnvFile } from '../src/env-file.js';

/** Variables of this test's own, removed from process.env again when it ends. */
function ownVariables(t: Test, ...names: string[]): void {
  t.teardown(() => {
    for (const name of names) delete process.env[name];
  });
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('the .env at the repository root, from src/ and from dist/ alike', async (t) => {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  t.equal(rootEnvFile, join(root, '.env'));
  t.equal(builtRootEnvFile, rootEnvFile);
  t.ok(existsSync(join(dirname(rootEnvFile), 'package-lock.json')), 'next to the root package-lock.json');
});

void t.test('a file’s settings are added, and the environment wins over them', async (t) => {
  ownVariables(t, 'ENV_FILE_TEST_FROM_FILE', 'ENV_FILE_TEST_SET', 'ENV_FILE_TEST_EMPTY', 'ENV_FILE_TEST_QUOTED');
  const path = join(t.testdir(), '.env');
  writeFileSync(
    path,
    [
      '# a comment',
      'ENV_FILE_TEST_FROM_FILE=file',
      'ENV_FILE_TEST_SET=file',
      'ENV_FILE_TEST_EMPTY=file',
      'ENV_FILE_TEST_QUOTED="two words"',
      '',
    ].join('\n'),
  );
  process.env['ENV_FILE_TEST_SET'] = 'environment';
  process.env['ENV_FILE_TEST_EMPTY'] = '';

  t.equal(readEnvFile(path), path);
  t.equal(process.env['ENV_FILE_TEST_FROM_FILE'], 'file');
  t.equal(process.env['ENV_FILE_TEST_SET'], 'environment');
  t.equal(process.env['ENV_FILE_TEST_EMPTY'], '', 'set, even to nothing, is set');
  t.equal(process.env['ENV_FILE_TEST_QUOTED'], 'two words');
});

void t.test('no file is fine; one that cannot be read is an error', async (t) => {
  const dir = t.testdir();
  t.equal(readEnvFile(join(dir, '.env')), undefined);
  t.throws(() => readEnvFile(dir), new EnvFileError(`cannot read ${dir}: it is a folder, not a file`));
});

void t.test('the entry points say which file they read, and stop on one they cannot', async (t) => {
  ownVariables(t, 'ENV_FILE_TEST_SAID');
  const dir = t.testdir({ '.env': 'ENV_FILE_TEST_SAID=yes\n' });
  const path = join(dir, '.env');

  const stdout = t.capture(process.stdout, 'write', () => true);
  readEnvFileOrExit(path);
  readEnvFileOrExit(join(dir, 'missing', '.env'));
  stdout.restore();
  t.same(
    stdout.args().map(([text]) => text),
    [`Read settings from ${path}\n`],
    'one line for the file, nothing for a missing one',
  );
  t.equal(process.env['ENV_FILE_TEST_SAID'], 'yes');

  const stderr = t.capture(process.stderr, 'write', () => true);
  const exit = t.capture(process, 'exit', () => undefined as never);
  readEnvFileOrExit(dir);
  stderr.restore();
  exit.restore();
  t.same(
    exit.args().map(([code]) => code),
    [1],
  );
  const [message] = stderr.args().map(([text]) => String(text));
  t.equal(message, `Settings error: cannot read ${dir}: it is a folder, not a file\n`, 'one line');
});
