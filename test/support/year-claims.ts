/** Where the run's report tests claim their years (test/support/reports.ts): a directory of global-setup.ts's. */
export const YEAR_CLAIMS_ENV = 'TEST_YEAR_CLAIMS';
