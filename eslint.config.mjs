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
        {
          // node --require tsx/cjs (devtools/typescript-process.ts) compiles our modules when required; import() goes
          // to Node's ESM loader, which cannot load a .ts file.
          selector: 'ImportExpression[source.value=/^[#.]/]',
          message: 'Load one of our modules lazily with require(), not import(): import() bypasses tsx/cjs.',
        },
      ],
    },
  },
  {
    // Functions a reader takes in at once (issue 21). Tests and generated code are exempt.
    files: ['{lambdas,contract,infra,local,ops,devtools,scripts,web,bench,client}/**/*.ts'],
    ignores: ['client/openapi-types.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    // Tool configuration that must be CommonJS (.dependency-cruiser.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
);
