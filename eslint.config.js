import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', 'proto/**', 'var/**', '.bench-out/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // @hub/domain stays pure: no I/O, no process, no NATS, database, HTTP or other hub package imports.
    files: ['shared/domain/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            '@nats-io/*',
            'better-sqlite3',
            'kysely',
            'fastify',
            'pino',
            'protobufjs',
            'uuidv7',
            'prom-client',
            'pg',
            '@fastify/*',
            '@hub/*',
            // Node's built-ins without the node: prefix are I/O all the same.
            'fs',
            'fs/*',
            'path',
            'os',
            'crypto',
            'child_process',
            'worker_threads',
            'net',
            'http',
            'https',
            'stream',
            'url',
            'util',
            'events',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process'],
    },
  },
  {
    files: ['**/*.test.ts', 'tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
