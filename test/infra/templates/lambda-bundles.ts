import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { BATCH_FUNCTIONS, type FunctionDefinition, SUBMISSION_FUNCTIONS } from '#contract/functions';
import { PROD_SAFE_DEFAULTS } from '../../../infra/config';
import { LambdaBundles } from '../../../infra/constructs/lambda-bundles';
import { LAMBDA_RUNTIME, PaymentsFunction } from '../../../infra/constructs/payments-function';
import { REPOSITORY_ROOT } from '../support/synth';

const named = (definitions: readonly FunctionDefinition[], name: string): FunctionDefinition => {
  const found = definitions.find((definition) => definition.name === name);
  if (!found) throw new Error(`no function ${name}`);
  return found;
};

/** The asset a function's code was staged as (`asset.<hash>` in the app's folder). */
const assetOf = (fn: lambda.Function): string => {
  const code = fn.node.findChild('Code') as unknown as { assetPath: string };
  return code.assetPath;
};

describe('the Lambdas bundled in one esbuild pass (decisions/0025)', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'payments-tracker-bundles-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // Two of the smallest handlers; bundling is on (no aws:cdk:bundling-stacks), as `cdk synth` runs it.
  const authorize = named(SUBMISSION_FUNCTIONS, 'AuthorizeOwner');
  const answer = named(BATCH_FUNCTIONS, 'AnswerBatch');
  const stack = new Stack(new App({ outdir }), 'Bundles');
  const encryptionKey = new kms.Key(stack, 'Key');
  const bundles = new LambdaBundles([authorize, answer]);
  const deployed = [authorize, answer].map(
    (definition) =>
      new PaymentsFunction(stack, definition.name, {
        definition,
        config: { ...PROD_SAFE_DEFAULTS, stage: 'probe' },
        encryptionKey,
        reserveConcurrency: false,
        bundles,
      }),
  );

  test("each function's asset is the bundle NodejsFunction's own esbuild run made of it, byte for byte", () => {
    // What payments-function.ts passed to NodejsFunction before decisions/0025: one `npx esbuild` of this entry.
    const reference = new NodejsFunction(stack, 'Reference', {
      entry: path.join(REPOSITORY_ROOT, authorize.entry),
      handler: 'handler',
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: path.join(REPOSITORY_ROOT, 'package-lock.json'),
      runtime: LAMBDA_RUNTIME,
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node24',
        format: OutputFormat.CJS,
        bundleAwsSDK: true,
        tsconfig: path.join(REPOSITORY_ROOT, 'tsconfig.json'),
      },
    });
    // The asset's name is the hash of its files (AssetHashType.OUTPUT, NodejsFunction's too).
    expect(assetOf(deployed[0]!.fn)).toBe(assetOf(reference));
  });

  test('each function gets its own bundle: index.js and its source map, and nothing else', () => {
    const [first, second] = deployed.map((f) => assetOf(f.fn));
    expect(first).not.toBe(second);
    for (const asset of [first!, second!]) {
      expect(readdirSync(path.join(outdir, asset)).sort()).toEqual(['index.js', 'index.js.map']);
    }
  });

  test('a function the bundles were not made for is refused, not bundled alone', () => {
    const other = named(SUBMISSION_FUNCTIONS, 'ValidatePayment');
    expect(() => bundles.code(other)).toThrow(
      'ValidatePayment is not one of the functions these bundles were made for',
    );
  });
});
