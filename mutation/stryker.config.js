// StrykerJS over the security-critical modules (see groups.js). `npm run test:mutation`
// runs one group at a time through run.js, which names it in MUTATION_GROUP; without
// one, every module runs against every test file of the package (slower, and the upper bound).
import { groups } from './groups.js';

const name = process.env.MUTATION_GROUP;
const group = name === undefined ? undefined : groups[name];
if (name !== undefined && group === undefined) {
  throw new Error(`MUTATION_GROUP=${name} is none of: ${Object.keys(groups).join(', ')}`);
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  mutate: group?.mutate ?? Object.values(groups).flatMap(({ mutate }) => mutate),
  tap: {
    testFiles: group?.testFiles ?? ['packages/session-login/test/**/*.test.ts'],
    nodeArgs: ['--conditions=development', '--import=@tapjs/typescript/import'],
  },
  coverageAnalysis: 'perTest',
  // The workspace links in node_modules resolve to this checkout, not to a sandbox copy.
  inPlace: true,
  concurrency: 2,
  timeoutMS: 60000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${name ?? 'all'}.json` },
  thresholds: { high: 90, low: 85, break: null },
};
