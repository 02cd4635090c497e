// ESLint finds bugs; Prettier (`.prettierrc.json`) owns the layout. Nothing here may enable a rule
// about whitespace, line breaks or quotes, or the two tools will fight over the same lines.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import vueParser from 'vue-eslint-parser';

// Browser code: the two SPAs and the login UI they share.
const webFiles = ['apps/*/web/src/**/*.{ts,vue}', 'packages/login-ui/src/**/*.{ts,vue}'];

// Tests are not in any workspace's tsconfig.json (those cover `src` only); tsconfig.test.json
// type-checks them all together, so the linter must read the same file to see the same types.
const testFiles = ['packages/*/test/**/*.ts', 'apps/*/test/**/*.ts'];

// The SPAs' tests (Vitest, in a happy-dom page) and their shared support, which tsconfig.web-test.json
// type-checks together.
const webTestFiles = [
  'vitest.config.ts',
  'test/web/**/*.ts',
  'packages/login-ui/test/**/*.ts',
  'apps/*/web/test/**/*.ts',
];

export default defineConfig(
  globalIgnores([
    '**/dist/**',
    '**/node_modules/**',
    '**/coverage/**',
    'test-artifacts/**',
    'bench/results/**',
    '.tap/**',
  ]),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  pluginVue.configs['flat/recommended'],

  {
    name: 'native-login/type-information',
    languageOptions: {
      parserOptions: {
        // Each file is checked with the types of the nearest tsconfig.json that includes it.
        projectService: {
          // These two are in no tsconfig (a workspace's tsconfig.json covers `src`, the web one
          // `web/src`). Adding them would change what `tsc -b` builds, so they get TypeScript's
          // default project instead, with this repository's compiler options.
          allowDefaultProject: ['eslint.config.js', 'apps/*/web/vite.config.ts'],
          defaultProject: 'tsconfig.base.json',
        },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      // Part of recommendedTypeChecked already; stated here because this codebase must never
      // drop a rejected promise (an unhandled rejection ends the Node process) or hand an async
      // callback to an API that ignores what it returns.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',

      // Fastify hooks that take no `done` callback must return a promise, and route handlers here
      // are async by convention (they return the payload and throw for errors), whether or not they
      // await anything; so do tap test callbacks. An async function without `await` is deliberate
      // in this codebase, and an await that is missing is no-floating-promises' finding anyway.
      '@typescript-eslint/require-await': 'off',

      // `const { secret: _secret, ...rest } = record` is how this codebase copies an object without
      // one property; TypeScript's noUnusedLocals accepts it for the same reason.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },

  {
    name: 'native-login/vue',
    files: ['**/*.vue'],
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        // vue-eslint-parser reads the template and hands each <script lang="ts"> to this parser.
        parser: tseslint.parser,
        sourceType: 'module',
      },
    },
    rules: {
      // typescript-eslint switches off the core rules TypeScript already checks (no-undef and the
      // like) for .ts files only; .vue scripts are TypeScript too.
      ...tseslint.configs.eslintRecommended.rules,

      // The layout rules of plugin-vue's recommended set: Prettier formats templates. Three of them
      // fire on Prettier's own output (max-attributes-per-line, singleline-html-element-content-newline,
      // html-self-closing on `<input />`); the rest merely agree with it today and would start
      // fighting it as soon as Prettier reflowed a template differently.
      'vue/first-attribute-linebreak': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-closing-bracket-spacing': 'off',
      'vue/html-indent': 'off',
      'vue/html-quotes': 'off',
      'vue/html-self-closing': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/mustache-interpolation-spacing': 'off',
      'vue/no-multi-spaces': 'off',
      'vue/no-spaces-around-equal-signs-in-attribute': 'off',
      'vue/singleline-html-element-content-newline': 'off',
    },
  },

  {
    name: 'native-login/web-globals',
    files: webFiles,
    languageOptions: { globals: globals.browser },
  },

  {
    name: 'native-login/spa-entry',
    files: ['apps/*/web/src/main.ts'],
    rules: {
      // The entry mounts the root component from App.vue. TypeScript, linting a .ts file, cannot see
      // into a .vue file, so the import has no type here; vue-tsc, which can, type-checks this file
      // (npm run typecheck). The rule stays on everywhere else.
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },

  {
    name: 'native-login/node-globals',
    files: ['**/*.{js,ts}'],
    ignores: webFiles,
    languageOptions: { globals: globals.node },
  },

  {
    name: 'native-login/tests',
    files: testFiles,
    ignores: webTestFiles,
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.test.json' },
    },
  },

  {
    name: 'native-login/web-tests',
    files: webTestFiles,
    languageOptions: {
      // A browser page, inside Node (the node-globals block applies too).
      globals: globals.browser,
      parserOptions: { projectService: false, project: './tsconfig.web-test.json' },
    },
  },
);
