import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'docs/', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      'no-restricted-syntax': [
        'error',
        {
          // One naming rule, so an error class reads as one wherever it is caught; its `name` (what the ASL's
          // Catch, the SDK error shapes and the logs match) is set explicitly and may drop the suffix.
          selector: 'ClassDeclaration[superClass.name=/Error$/]:not([id.name=/Error$/])',
          message: 'Name an error class SomethingError.',
        },
      ],
    },
  },
  {
    // Functions a reader takes in at once (issue 21). Tests and generated code are exempt; infra/ outside the
    // Observability construct is not yet split, so not yet held to it.
    files: [
      '{lambdas,contract,local,ops,devtools,scripts,web,bench,client}/**/*.ts',
      'infra/constructs/observability.ts',
    ],
    ignores: [
      'client/openapi-types.ts',
      // split by another part of issue 21; the merger removes this
      'bench/**',
      'infra/constructs/observability.ts',
      'local/api-gateway/gateway.ts',
      'local/main.ts',
      'ops/cli.ts',
      'local/step-functions/workflow-runner.ts',
      'local/step-functions/execution-store.ts',
    ],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Tool configuration that must be CommonJS (.dependency-cruiser.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
