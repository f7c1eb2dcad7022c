import { type DependencyFixture, dependencyFixture } from '../support/dependency-rules';
import { resourcesOf, synthesized } from '../support/synth';

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
  let fixture: DependencyFixture;
  const write = (file: string, text: string): void => fixture.write(file, text);
  const violations = (): Promise<string[]> =>
    fixture.violations('nothing-deployed-reaches-local', ['infra', 'lambdas', 'local']);

  beforeEach(() => {
    fixture = dependencyFixture();
    write('local/api-gateway/server.ts', 'export const serve = (): string => "local";\n');
    write('local/console/page.ts', 'export const page = (): string => "console";\n');
    write('lambdas/adapters/clock.ts', 'export const now = (): number => 0;\n');
  });
  afterEach(() => fixture.remove());

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
