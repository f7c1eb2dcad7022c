import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { REPOSITORY_ROOT, resourcesOf, synthesized } from './support/synth';

/**
 * The local console has no authentication: it must exist only in the local stack. Nothing the
 * CDK app deploys may route to it or carry its code.
 */
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'cdk.out' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });

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

  test('no deployed code (infra/, lambdas/) imports the console or the local gateway', () => {
    const files = [
      ...sourceFiles(path.join(REPOSITORY_ROOT, 'infra')),
      ...sourceFiles(path.join(REPOSITORY_ROOT, 'lambdas')),
    ];
    expect(files.length).toBeGreaterThan(10);
    const importing = files.filter((file) =>
      /from '(#local\/console\/|#local\/gateway|[./]*local\/)/.test(readFileSync(file, 'utf8')),
    );
    expect(importing).toEqual([]);
  });
});
