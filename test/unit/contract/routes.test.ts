import { READ_API_FUNCTIONS } from '#contract/functions';
import { PROBLEMS } from '#contract/problems';
import { ROUTES, functionsServing, pathParameterNames, routeKey, workflowsServing } from '#contract/routes';
import { SUBMIT_PAYMENT_BATCH_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW } from '#contract/workflows';

describe('the route catalogue', () => {
  test('each route once, each operation id once', () => {
    expect(new Set(ROUTES.map(routeKey)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((route) => route.operationId)).size).toBe(ROUTES.length);
  });

  test('every read function serves a route, and only the read functions do', () => {
    const names = (definitions: ReadonlyArray<{ name: string }>) =>
      definitions.map((definition) => definition.name).sort();
    expect(names(functionsServing(ROUTES))).toEqual(names(READ_API_FUNCTIONS));
    expect(workflowsServing(ROUTES)).toEqual([SUBMIT_PAYMENT_WORKFLOW, SUBMIT_PAYMENT_BATCH_WORKFLOW]);
  });

  const byKey = ROUTES.map((route) => [routeKey(route), route] as const);

  test.each(byKey)('%s declares exactly the parameters of its path, in order', (_key, route) => {
    const declared = (route.parameters ?? []).filter((parameter) => parameter.in === 'path');
    expect(declared.map((parameter) => parameter.name)).toEqual(pathParameterNames(route.path));
    for (const parameter of declared) expect(parameter.required).toBe(true);
  });

  test.each(byKey)('%s lists no status both as an answer and as problems', (_key, route) => {
    for (const status of Object.keys(route.answers)) expect(route.problems).not.toHaveProperty(status);
  });

  test('every problem is listed under the status the problem catalogue gives it', () => {
    for (const route of ROUTES) {
      for (const [status, problems] of Object.entries(route.problems)) {
        for (const name of problems.names) {
          expect({ route: routeKey(route), name, status: PROBLEMS[name].status }).toEqual({
            route: routeKey(route),
            name,
            status: Number(status),
          });
        }
      }
    }
  });
});
