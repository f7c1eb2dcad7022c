import { startLocalStack } from '#devtools/local-stack-process';
import { TEST_TABLE_PREFIX } from './global-setup';
import { gathered } from './gathered';

/**
 * One local stack serving the test run's own tables, two items a page, for the e2e modules gathered in
 * test/e2e/report-reads.test.ts: they build reports in their own process (the real workflow) in months of their own,
 * and read them over HTTP, where a page ends inside a user's reports and an export of a few users pages.
 */
const reportReadsStack = gathered(
  () => startLocalStack({ tablePrefix: TEST_TABLE_PREFIX, env: { REPORT_PAGE_SIZE: '2' } }),
  (stack) => stack.stop(),
);
export const sharedReportReadsStack = reportReadsStack.get;
export const stopSharedReportReadsStack = reportReadsStack.stop;
