// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/**
 * Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries, and
 * no heavy libraries (zod, luxon, yaml) that would bloat every workflow's bundle and memory.
 * Activities are imported into workflows for their types only.
 */
const forbiddenInWorkflows = [
  ...builtinModules,
  ...builtinModules.map((name) => `node:${name}`),
  'zod',
  'luxon',
  'yaml',
  'nodemailer',
  'pino',
  'commander',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
];

/** Only the CLI imports its own folder; everything it shares with the web app and the worker lives elsewhere. */
const notTheCli = {
  group: ['**/client', '**/client/**', '!@temporalio/client'],
  message: 'Only the CLI imports client/: shared Temporal operations live in operations/, errors in domain/user-error.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', 'plans/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The CLI is one user of the Temporal operations among others (the web app, the worker, the
    // simulation): nothing else depends on its folder.
    files: ['**/*.ts'],
    ignores: ['client/**', 'test/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            notTheCli,
          ],
        },
      ],
    },
  },
  {
    // The pure core: workflows, the summary, the CLI and the web app import it, never the reverse.
    files: ['domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            notTheCli,
            {
              group: ['**/workflows', '**/workflows/**', '**/operations', '**/operations/**'],
              message: 'domain/ depends on no workflow code: define the type in domain/ and let workflows import it.',
            },
          ],
        },
      ],
    },
  },
  {
    // Run by workflow code as well as by the web app and the CLI: it must stay free of every dependency.
    files: ['domain/report-fields/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              message: 'domain/report-fields/ imports only its own files: workflows, the web app and the CLI all run it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: forbiddenInWorkflows.map((name) => ({
            name,
            message: 'Workflow code must stay deterministic and small: do this in an activity or before starting the workflow.',
          })),
          patterns: [
            notTheCli,
            {
              group: ['**/activities', '**/activities/**'],
              allowTypeImports: true,
              message: 'Workflows import activities with `import type` only.',
            },
            {
              group: ['**/config/config', '**/domain/plan/**', '**/domain/calendar/**', '**/provision/**'],
              message: 'Workflows receive concrete instants; validation and calendar arithmetic happen outside.',
            },
          ],
        },
      ],
    },
  },
);
