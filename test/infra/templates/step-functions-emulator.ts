import { type DependencyFixture, dependencyFixture } from '../support/dependency-rules';

/**
 * The emulator knows nothing of payments (dependency-cruiser's `step-functions-emulator-knows-no-payments`, run by
 * `npm run lint`): this proves the rule names each import it exists for, on a small tree that makes them.
 */
describe('the dependency rule keeps payments out of the Step Functions emulator', () => {
  let fixture: DependencyFixture;
  const violations = (): Promise<string[]> =>
    fixture.violations('step-functions-emulator-knows-no-payments', ['local']);

  beforeEach(() => {
    fixture = dependencyFixture();
    fixture.write('lambdas/domain/payment-schema.ts', 'export const schema = {};\n');
    fixture.write('devtools/submission-ids.ts', 'export const ids = (): string[] => [];\n');
    fixture.write('contract/openapi-schemas.ts', 'export const schemas = {};\n');
    fixture.write('devtools/concurrency-limit.ts', 'export const limit = 1;\n');
  });
  afterEach(() => fixture.remove());

  test('the emulator importing what it may (devtools helpers), and the stack importing payments, break nothing', async () => {
    fixture.write('local/step-functions/execution-store.ts', "export { limit } from '#devtools/concurrency-limit';\n");
    fixture.write('local/main.ts', "export { ids } from '#devtools/submission-ids';\n");
    expect(await violations()).toEqual([]);
  });

  test('the emulator importing the payment domain, the submission ids or a contract schema is a violation', async () => {
    fixture.write('local/step-functions/execution-store.ts', "export { ids } from '#devtools/submission-ids';\n");
    fixture.write('local/step-functions/api/operations.ts', "export { schema } from '#domain/payment-schema';\n");
    fixture.write('local/step-functions/asl.ts', "export { schemas } from '../../contract/openapi-schemas';\n");
    expect(await violations()).toEqual([
      'local/step-functions/api/operations.ts -> lambdas/domain/payment-schema.ts',
      'local/step-functions/asl.ts -> contract/openapi-schemas.ts',
      'local/step-functions/execution-store.ts -> devtools/submission-ids.ts',
    ]);
  });
});
