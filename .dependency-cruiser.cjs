/**
 * The dependency rules of the architecture (README, "Layout"), checked by `npm run lint` and so by
 * `npm test`. Each rule says why it exists; a broken one fails the build with the import that broke it.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'The domain (money, schema, ownership, streaks) knows nothing of Lambda, DynamoDB, HTTP or the local stack: ' +
        'the handlers are the adapters that bring those in, so the domain stays testable alone and portable.',
      severity: 'error',
      from: { path: '^lambdas/domain/' },
      to: {
        path: '^(lambdas/(adapters|handlers)|contract|infra|local|ops|devtools|bench|scripts|test|client|web)/',
      },
    },
    {
      name: 'contract-depends-only-on-domain',
      comment:
        'The contract is the hub that infra, the Lambdas, the local stack and ops all import, and parts of it are ' +
        'bundled into Lambdas: it may build on the domain, node builtins and the npm packages it needs today ' +
        '(yaml, to write the OpenAPI file), and on nothing that would drag one of its users into the others.',
      severity: 'error',
      from: { path: '^contract/' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^contract/', '^lambdas/domain/', '^node_modules/yaml/'],
      },
    },
    {
      name: 'ops-never-imports-local',
      comment:
        'The ops CLI runs against AWS too (`npm run ops -- --profile prod`): it must not load the local Step Functions ' +
        'interpreter, DynamoDB Local or the console. What it shares with the local stack lives in devtools/.',
      severity: 'error',
      from: { path: '^ops/' },
      to: { path: '^local/' },
    },
    {
      name: 'tools-never-import-test',
      comment:
        'test/ is for jest; what benchmarks, scripts and the tests share (driving the product from outside, the CLI ' +
        'runner, stack settings) lives in devtools/, which must not reach into test/ either.',
      severity: 'error',
      from: { path: '^(bench|scripts|devtools)/' },
      to: { path: '^test/' },
    },
    {
      name: 'nothing-deployed-reaches-devtools',
      comment:
        'devtools/ is for development only (the local stack, ops, scripts, benchmarks and tests share it): the Lambdas, ' +
        'the contract and the CDK app must never load it, directly or through another module.',
      severity: 'error',
      from: { path: '^(lambdas|contract|infra|client|web)/' },
      to: { path: '^devtools/', reachable: true },
    },
    {
      name: 'nothing-deployed-reaches-local',
      comment:
        'The Lambdas, the contract bundled into them and the CDK app must never load the local stack (the console ' +
        'included), directly or through another module: it would ship a development server to AWS.',
      severity: 'error',
      from: { path: '^(lambdas|contract|infra|client|web)/' },
      to: { path: '^local/', reachable: true },
    },
    {
      name: 'step-functions-emulator-knows-no-payments',
      comment:
        'The Step Functions emulator (local/step-functions/) runs any ASL with any handlers, as AWS does: it knows ' +
        'nothing of payments. What it keeps of a submission (its ids, the index FindExecutions searches) comes from ' +
        "its caller, the local stack (ExecutionStore.open's describe and index).",
      severity: 'error',
      from: { path: '^local/step-functions/' },
      to: { path: ['^lambdas/domain/payment', '^devtools/submission-ids\\.ts$', '^contract/[^/]*schemas\\.ts$'] },
    },
    {
      name: 'client-runs-anywhere',
      comment:
        'The typed client (client/) runs in the browser (the web app) and in Node (tests, benchmarks): it may use ' +
        'openapi-fetch and its own generated types, and nothing of Node, the contract, the Lambdas or the local stack.',
      severity: 'error',
      from: { path: '^client/' },
      to: { pathNot: ['^client/', '^node_modules/openapi-fetch/'] },
    },
    {
      name: 'web-app-is-a-browser-bundle',
      comment:
        'The web app (web/app/) is bundled for the browser and deployed to S3: it may use the typed client and its ' +
        'browser libraries (oauth4webapi, openapi-fetch), never Node, the Lambdas, the contract or the local stack.',
      severity: 'error',
      from: { path: '^web/app/' },
      to: { pathNot: ['^web/app/', '^client/', '^node_modules/(oauth4webapi|openapi-fetch)/'] },
    },
    {
      name: 'no-circular',
      comment:
        'Modules that import each other cannot be understood, tested or moved alone; break the circle with a module both use.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-orphans',
      comment: 'A module nothing imports and that imports nothing is dead code (entry points and declarations aside).',
      severity: 'error',
      from: {
        orphan: true,
        pathNot: [
          '\\.d\\.ts$',
          '(^|/)\\.[^/]+\\.(c|m)?js$',
          '\\.config\\.(c|m)?js$',
          // Entry points that need no import: preloaded by `node --import` and jest's setupFiles; jest's globalTeardown.
          '^local/polyfills\\.ts$',
          '^test/support/global-teardown\\.ts$',
        ],
      },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve fails at run time; say so at lint time, with its file.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: '^node_modules' },
    exclude: { path: '^(node_modules|cdk\\.out|\\.data|coverage|docs)/' },
    // Type-only imports count: an `import type` from local/ still ties a deployed module to it.
    tsPreCompilationDeps: true,
    // Resolves the `#domain/*`-style aliases of package.json `imports` (enhanced-resolve reads that field)
    // and the TypeScript options; `.ts` comes before `.js` as tsx resolves them.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.d.ts', '.mjs', '.cjs', '.js', '.json'],
      // Packages such as @aws-lambda-powertools/idempotency/dynamodb exist only through their `exports`.
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
