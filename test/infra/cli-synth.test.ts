import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  BATCH_FUNCTIONS,
  OPERATIONS_FUNCTIONS,
  READ_API_FUNCTIONS,
  REPORT_FUNCTIONS,
  SUBMISSION_FUNCTIONS,
} from '#contract/functions';
import { REPOSITORY_ROOT, STAGES } from './support/synth';

const run = promisify(execFile);

/**
 * `cdk synth` of the whole app with the real CLI, as a reviewer or CI runs it: offline, Lambdas
 * bundled locally by esbuild (no Docker), cdk-nag's validation included. One stage, prod: the CLI and the
 * bundling are the same for both (infra/constructs/payments-function.ts takes no stage setting into its bundling),
 * and each stage's template is checked in process by templates.test.ts (with cdk-nag), so the second CLI run
 * (about half of this file's CPU) proved nothing more.
 */
const CLI_STAGES = ['prod'] as const satisfies readonly (typeof STAGES)[number][];

describe('cdk synth (the CLI, the prod stage)', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'payments-tracker-cdk-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const synth = (stage: string) =>
    run('npx', ['cdk', 'synth', '--quiet', '-c', `stage=${stage}`, '-o', path.join(outDir, stage)], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, CI: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });

  let results: Array<{ stage: string; stdout: string; stderr: string }> = [];
  // 30-35 CPU-s with one esbuild pass (decisions/0025): minutes beside another file on a loaded machine (240 s was
  // exceeded at a load of 30).
  beforeAll(async () => {
    results = await Promise.all(CLI_STAGES.map(async (stage) => ({ stage, ...(await synth(stage)) })));
  }, 600_000);

  test.each(CLI_STAGES)('stage %s: a template for the stage stack, without Docker', (stage) => {
    const result = results.find((candidate) => candidate.stage === stage);
    expect(result).toBeDefined();
    expect(`${result?.stdout}${result?.stderr}`).not.toMatch(/docker/i);
    const template = JSON.parse(
      readFileSync(path.join(outDir, stage, `PaymentsTracker-${stage}.template.json`), 'utf8'),
    ) as {
      Resources: Record<string, { Type: string }>;
    };
    const types = new Set(Object.values(template.Resources).map((resource) => resource.Type));
    for (const type of [
      'AWS::ApiGateway::RestApi',
      'AWS::StepFunctions::StateMachine',
      'AWS::Lambda::Function',
      'AWS::DynamoDB::Table',
      'AWS::Cognito::UserPool',
      'AWS::WAFv2::WebACL',
      'AWS::Scheduler::Schedule',
      'AWS::SQS::Queue',
    ]) {
      expect(types).toContain(type);
    }
  });

  /** The stage's asset folders, by the asset hash the template's resources name them with. */
  const assetFolders = (stage: string) =>
    readdirSync(path.join(outDir, stage))
      .filter((entry) => entry.startsWith('asset.'))
      .map((entry) => path.join(outDir, stage, entry))
      .filter((entry) => statSync(entry).isDirectory());
  const template = (stage: string) =>
    JSON.parse(readFileSync(path.join(outDir, stage, `PaymentsTracker-${stage}.template.json`), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };

  test.each(CLI_STAGES)('stage %s: each Lambda bundled by esbuild, minified, with a source map', (stage) => {
    // Ours: every function but BucketDeployment's own handler (aws-cdk-lib's, which copies the web app at deployment).
    const ourCode = Object.entries(template(stage).Resources)
      .filter(
        ([id, resource]) => resource.Type === 'AWS::Lambda::Function' && !id.startsWith('CustomCDKBucketDeployment'),
      )
      .map(([, resource]) => String((resource.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, ''));
    const bundles = assetFolders(stage).filter((folder) =>
      ourCode.includes(path.basename(folder).slice('asset.'.length)),
    );
    expect(bundles).toHaveLength(
      SUBMISSION_FUNCTIONS.length +
        BATCH_FUNCTIONS.length +
        REPORT_FUNCTIONS.length +
        READ_API_FUNCTIONS.length +
        OPERATIONS_FUNCTIONS.length,
    );
    for (const bundle of bundles) {
      expect(readdirSync(bundle).sort()).toEqual(['index.js', 'index.js.map']);
      const code = readFileSync(path.join(bundle, 'index.js'), 'utf8');
      // Minified: long lines, not one statement per line.
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
      expect(code).toContain('sourceMappingURL=index.js.map');
    }
  });

  test.each(CLI_STAGES)('stage %s: the web app built into one asset (page, bundle, styles, icon)', (stage) => {
    const folders = assetFolders(stage).filter((folder) => readdirSync(folder).includes('index.html'));
    expect(folders).toHaveLength(1);
    expect(readdirSync(folders[0]!).sort()).toEqual(['app.css', 'app.js', 'favicon.svg', 'index.html']);
    expect(readFileSync(path.join(folders[0]!, 'app.js'), 'utf8')).toContain('oauth');
  });
});
