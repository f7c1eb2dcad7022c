/**
 * Four layers, one run: `npm test` runs them all; `npm run test:unit|test:workflow|test:e2e|test:infra`
 * one each. DynamoDB Local starts once per run (globalSetup), in memory, shared by every file;
 * each test writes its own fresh ids, so files never see each other's data.
 */
// The SDK's notice that its 2027 releases need Node 22 is known (see README); it
// would otherwise be printed by every test process.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const { availableParallelism } = require('node:os');

// jose 6, openid-client 6 and oauth4webapi ship ES modules only: Node 20 requires them natively (the stack, the
// CLIs), but jest's module system does not, so swc turns them into CommonJS for the tests.
const ESM_ONLY_PACKAGES = ['jose', 'openid-client', 'oauth4webapi'];
const transform = { '^.+\\.ts$': ['@swc/jest'], '^.+\\.js$': ['@swc/jest'] };
const layer = (displayName, extra = {}) => ({
  displayName,
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_PACKAGES.join('|')})/)`],
  testMatch: [`<rootDir>/test/${displayName}/**/*.test.ts`],
  setupFiles: ['<rootDir>/local/polyfills.ts'],
  ...extra,
});

module.exports = {
  // A global option (ignored per project): e2e hooks start whole stacks; unit tests finish in ms anyway. Two
  // minutes, as two files share the cores (maxWorkers below): a hang still fails, a page test beside a CDK synthesis
  // under load does not (60 s was exceeded there at a load of 38).
  testTimeout: 120_000,
  // One more worker than cores, and at least three: a file spends much of its time waiting on a stack, a browser, the
  // CDK CLI or DynamoDB Local (two workers kept two cores 83 % busy, 1,013 CPU-s in 603 s), and a third file fills that
  // wait. Four were slower (524 s against 476: more CPU lost to contention; with the interleaved order, 446 s and
  // 932 CPU-s against 411-422 s and 846-854 in fresh clones). Every file runs on free ports with fresh ids, so files
  // never meet (issue 21).
  maxWorkers: Math.max(3, availableParallelism() + 1),
  // Without timings of its own (a fresh clone), the slow layers first, a file of each in turn: see the sequencer.
  testSequencer: '<rootDir>/test/support/sequencer.js',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [layer('unit'), layer('workflow'), layer('e2e'), layer('infra')],
};
