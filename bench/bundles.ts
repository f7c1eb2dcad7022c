import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { ENV, SERVICE_NAME } from '#contract/environment';
import {
  BATCH_FUNCTIONS,
  type FunctionDefinition,
  OPERATIONS_FUNCTIONS,
  READ_API_FUNCTIONS,
  REPORT_FUNCTIONS,
  SUBMISSION_FUNCTIONS,
} from '#contract/functions';
import { median } from './stats';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { LAMBDA_BUILD_OPTIONS } from '../infra/lambda-build-options';

/** Every Lambda the stack deploys. */
export const ALL_FUNCTIONS: readonly FunctionDefinition[] = [
  ...SUBMISSION_FUNCTIONS,
  ...BATCH_FUNCTIONS,
  ...REPORT_FUNCTIONS,
  ...READ_API_FUNCTIONS,
  ...OPERATIONS_FUNCTIONS,
];

export interface BundleFigures {
  name: string;
  bytes: number;
  sourceMapBytes: number;
  /** Median of the samples: ms for a fresh node process to require the bundle. */
  initMs: number;
  initSamplesMs: number[];
}

/** Bundles one handler as CDK does (infra/lambda-build-options.ts), alone. */
const bundle = async (definition: FunctionDefinition, outDir: string): Promise<string> => {
  const outfile = path.join(outDir, definition.name, 'index.js');
  await build({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: [path.join(REPOSITORY_ROOT, definition.entry)],
    outfile,
    logLevel: 'silent',
  });
  return outfile;
};

// What the Lambda environment gives the module when it is loaded; values do not matter, names do.
const LAMBDA_LIKE_ENV = {
  [ENV.serviceName]: SERVICE_NAME,
  [ENV.logLevel]: 'INFO',
  [ENV.traceEnabled]: 'true',
  [ENV.paymentsTable]: 'payments',
  [ENV.idempotencyTable]: 'idempotency',
  AWS_REGION: 'eu-west-2',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

// The module load alone, timed inside a fresh process: what a cold start adds to Node's own start.
const TIME_REQUIRE = `const s=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-s)/1e6))`;

const coldInitMs = (file: string): number => {
  const result = spawnSync(process.execPath, ['-e', TIME_REQUIRE, file], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...LAMBDA_LIKE_ENV },
  });
  if (result.status !== 0) throw new Error(`Loading ${file} failed: ${result.stderr}`);
  return Number(result.stdout);
};

export const measureBundles = async (
  samples = 7,
  functions: readonly FunctionDefinition[] = ALL_FUNCTIONS,
): Promise<BundleFigures[]> => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'payments-bundles-'));
  try {
    const figures: BundleFigures[] = [];
    for (const definition of functions) {
      const file = await bundle(definition, outDir);
      const initSamplesMs = Array.from({ length: samples }, () => coldInitMs(file));
      figures.push({
        name: definition.name,
        bytes: statSync(file).size,
        sourceMapBytes: statSync(`${file}.map`).size,
        initMs: median(initSamplesMs),
        initSamplesMs,
      });
    }
    return figures;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
};
