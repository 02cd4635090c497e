// `npm run test:mutation [group…]`: StrykerJS once per group of mutation/groups.js (every group
// unless some are named), then each module's score and the survivors, from Stryker's JSON reports,
// printed and written to reports/mutation/summary.md.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { groups } from './groups.js';

const named = process.argv.slice(2);
const unknown = named.filter((name) => !(name in groups));
if (unknown.length > 0) {
  console.error(`unknown group ${unknown.join(', ')}: the groups are ${Object.keys(groups).join(', ')}`);
  process.exit(2);
}
const names = named.length > 0 ? named : Object.keys(groups);

for (const name of names) {
  const run = spawnSync('node_modules/.bin/stryker', ['run', 'mutation/stryker.config.js'], {
    stdio: 'inherit',
    env: { ...process.env, MUTATION_GROUP: name, TS_NODE_PROJECT: 'tsconfig.test.json', TS_NODE_TRANSPILE_ONLY: '1' },
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

/** Each module's count, as Stryker scores it: detected (killed or timed out) against every mutant that could be. */
/** @type {Array<{ group: string, path: string, detected: number, survived: number, noCoverage: number }>} */
const rows = [];
/** @type {string[]} */
const survivors = [];
for (const name of names) {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- Stryker's own report, in its published schema
  const report = /** @type {import('mutation-testing-report-schema').MutationTestResult} */ (
    JSON.parse(readFileSync(`reports/mutation/${name}.json`, 'utf8'))
  );
  for (const [path, file] of Object.entries(report.files)) {
    /** @param {string[]} statuses */
    const count = (...statuses) => file.mutants.filter((mutant) => statuses.includes(mutant.status)).length;
    rows.push({
      group: name,
      path,
      detected: count('Killed', 'Timeout'),
      survived: count('Survived'),
      noCoverage: count('NoCoverage'),
    });
    for (const mutant of file.mutants.filter(({ status }) => status === 'Survived' || status === 'NoCoverage')) {
      survivors.push(
        `${path}:${mutant.location.start.line} ${mutant.status} ${mutant.mutatorName}: ${mutant.replacement ?? ''}`,
      );
    }
  }
}
/** @param {number} detected @param {number} undetected */
const percent = (detected, undetected) => `${((100 * detected) / Math.max(detected + undetected, 1)).toFixed(1)}%`;
const total = rows.reduce(
  (sum, row) => ({ detected: sum.detected + row.detected, undetected: sum.undetected + row.survived + row.noCoverage }),
  {
    detected: 0,
    undetected: 0,
  },
);
const lines = [
  '| group | module | detected | survived | no coverage | score |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (row) =>
      `| ${row.group} | ${row.path.replace('packages/session-login/src/', '')} | ${row.detected} | ${row.survived} | ${row.noCoverage} | ${percent(row.detected, row.survived + row.noCoverage)} |`,
  ),
  `| all | | ${total.detected} | | ${total.undetected} undetected | ${percent(total.detected, total.undetected)} |`,
  '',
  ...(survivors.length > 0
    ? ['Undetected mutants:', '', ...survivors.map((line) => `- ${line}`)]
    : ['Every mutant was detected.']),
];
writeFileSync('reports/mutation/summary.md', `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
