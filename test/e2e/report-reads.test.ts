/**
 * The e2e files that each started a stack over the test run's tables, two items a page, to read reports the real
 * workflow builds in this process (the export; a build killed between its writes), gathered into one jest file so
 * they share one start (support/report-reads-stack.ts), as api.test.ts does. Each module reports months of its own.
 */
import { stopSharedReportReadsStack } from '../support/report-reads-stack';
import './report-reads/export';
import './report-reads/killed-build';

afterAll(stopSharedReportReadsStack);
