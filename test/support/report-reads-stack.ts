import { TEST_TABLE_PREFIX } from './global-setup';
import { gatheredStack } from './gathered';

/**
 * One local stack serving the test run's own tables, two items a page, for the e2e modules gathered in
 * test/e2e/report-reads.test.ts: they build reports in their own process (the real workflow) in months of their own,
 * and read them over HTTP, where a page ends inside a user's reports and an export of a few users pages.
 */
const reportReadsStack = gatheredStack({ tablePrefix: TEST_TABLE_PREFIX, env: { REPORT_PAGE_SIZE: '2' } });
export const sharedReportReadsStack = reportReadsStack.get;
export const stopSharedReportReadsStack = reportReadsStack.stop;
