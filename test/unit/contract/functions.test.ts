import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  BATCH_FUNCTIONS,
  OPERATIONS_FUNCTIONS,
  READ_API_FUNCTIONS,
  REPORT_FUNCTIONS,
  SUBMISSION_FUNCTIONS,
  functionNamed,
} from '#contract/functions';
import { REPOSITORY_ROOT } from '#contract/repository-root';
import { MONTHLY_REPORT_WORKFLOW, SUBMIT_PAYMENT_BATCH_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW } from '#contract/workflows';

const ALL = [
  ...SUBMISSION_FUNCTIONS,
  ...BATCH_FUNCTIONS,
  ...REPORT_FUNCTIONS,
  ...READ_API_FUNCTIONS,
  ...OPERATIONS_FUNCTIONS,
];

describe('a function defined by its name', () => {
  test('its handler module and ARN placeholder follow from the name', () => {
    expect(functionNamed({ name: 'GetReportSummary', tables: [], timeoutSeconds: 5 })).toEqual({
      name: 'GetReportSummary',
      entry: 'lambdas/handlers/get-report-summary.ts',
      arnPlaceholder: 'GetReportSummaryFunctionArn',
      tables: [],
      timeoutSeconds: 5,
    });
  });

  test('what the name cannot say is kept as written', () => {
    const fn = functionNamed({
      name: 'GetGreeting',
      entry: 'test/support/added-route.ts',
      tables: [],
      timeoutSeconds: 5,
    });
    expect(fn.entry).toBe('test/support/added-route.ts');
    expect(fn.arnPlaceholder).toBe('GetGreetingFunctionArn');
  });

  test("the contract's functions are exactly the handler modules, one each", () => {
    for (const { entry } of ALL) expect(existsSync(path.join(REPOSITORY_ROOT, entry))).toBe(true);
    const modules = readdirSync(path.join(REPOSITORY_ROOT, 'lambdas/handlers')).map(
      (file) => `lambdas/handlers/${file}`,
    );
    expect(ALL.map(({ entry }) => entry).sort()).toEqual(modules.sort());
  });
});

describe('the workflows', () => {
  test('each name once', () => {
    const names = [SUBMIT_PAYMENT_WORKFLOW, SUBMIT_PAYMENT_BATCH_WORKFLOW, MONTHLY_REPORT_WORKFLOW].map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test("a workflow with an item processor invokes that workflow's functions as well as its own", () => {
    expect(SUBMIT_PAYMENT_BATCH_WORKFLOW.itemProcessor).toBe(SUBMIT_PAYMENT_WORKFLOW);
    expect(SUBMIT_PAYMENT_BATCH_WORKFLOW.functions).toEqual([...BATCH_FUNCTIONS, ...SUBMIT_PAYMENT_WORKFLOW.functions]);
  });
});
