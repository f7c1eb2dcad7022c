import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPOSITORY_ROOT, resourcesOf, synthesized } from '../support/synth';

/**
 * The local console has no authentication: it must exist only in the local stack. Nothing the
 * CDK app deploys may route to it or carry its code.
 */
describe('the local console is not deployed', () => {
  // The routes do not differ by stage (stages.test.ts covers what does): one synth is enough.
  test('no API Gateway resource or route is the console', () => {
    const { template } = synthesized('prod');
    const pathParts = Object.values(resourcesOf(template, 'AWS::ApiGateway::Resource')).map(
      (resource) => resource.Properties.PathPart,
    );
    expect(pathParts.length).toBeGreaterThan(0);
    expect(pathParts).not.toContain('console');
    expect(JSON.stringify(template.toJSON())).not.toMatch(/\/console\b/);
  });
});

/**
 * The import rule itself is dependency-cruiser's `nothing-deployed-reaches-local` (`npm run lint`).
 * This proves the rule catches the imports it exists for, through the `#local/*` alias and through
 * another module, by running the repository's own config on a small tree that breaks it.
 */
describe('the dependency rule keeps local/ out of deployed code', () => {
  const run = promisify(execFile);
  let root: string;

  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  /** The `nothing-deployed-reaches-local` violations in the tree, as `from -> to`. */
  const violations = async (): Promise<string[]> => {
    const bin = path.join(REPOSITORY_ROOT, 'node_modules', '.bin', 'depcruise');
    const args = ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'infra', 'lambdas', 'local'];
    // It exits non-zero on any violation (the fixture's unused files are orphans): the report says which.
    const stdout = await run(bin, args, { cwd: root }).then(
      (done) => done.stdout,
      (failed: { stdout: string }) => failed.stdout,
    );
    const report = JSON.parse(stdout) as {
      summary: { violations: { rule: { name: string }; from: string; to: string }[] };
    };
    return report.summary.violations
      .filter((violation) => violation.rule.name === 'nothing-deployed-reaches-local')
      .map((violation) => `${violation.from} -> ${violation.to}`)
      .sort();
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'depcruise-fixture-'));
    for (const file of ['.dependency-cruiser.cjs', 'tsconfig.json']) {
      copyFileSync(path.join(REPOSITORY_ROOT, file), path.join(root, file));
    }
    const { imports } = JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'package.json'), 'utf8')) as {
      imports: Record<string, string>;
    };
    write('package.json', JSON.stringify({ name: 'fixture', private: true, imports }));
    write('local/api-gateway/server.ts', 'export const serve = (): string => "local";\n');
    write('local/console/page.ts', 'export const page = (): string => "console";\n');
    write('lambdas/adapters/clock.ts', 'export const now = (): number => 0;\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('a tree that keeps the rule has no violation (the fixture itself is sound)', async () => {
    write('infra/stack.ts', "import { now } from '#adapters/clock';\nexport const at = now();\n");
    expect(await violations()).toEqual([]);
  });

  test('deployed code reaching local/ through #local/api-gateway/... or through another module is a violation', async () => {
    write('infra/stack.ts', "import { serve } from '#local/api-gateway/server';\nexport const served = serve();\n");
    write('lambdas/adapters/render.ts', "export { page } from '../../local/console/page';\n");
    write('lambdas/handlers/show.ts', "import { page } from '#adapters/render';\nexport const shown = page();\n");
    expect(await violations()).toEqual([
      'infra/stack.ts -> local/api-gateway/server.ts',
      'lambdas/adapters/render.ts -> local/console/page.ts',
      'lambdas/handlers/show.ts -> local/console/page.ts',
    ]);
  });
});
