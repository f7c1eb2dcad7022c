import { randomUUID } from 'node:crypto';
import { SCOPES } from '#contract/scopes';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { sharedReportReadsStack } from '../../support/report-reads-stack';
import { apiFor } from '../../support/http';
import { clientKilledAfter, finishedBeforeKill } from '../../support/killed-writer';
import {
  PAYMENTS_OF_SEVERAL_SMALL_PARTS,
  rebuiltReports,
  reportWorkflow,
  runReport,
  severalPartsOfPayments,
  smallPartsRepository,
  storeManyPayments,
  storePayments,
  storedPayment,
  usersInShard,
} from '../../support/reports';
import { freshMonth } from '../../support/fresh-months';

/**
 * A report build killed between its writes, as a customer and the bureau meet it over HTTP: the
 * stack serves the test run's tables, where the build (in this process) is stopped before its
 * first write, then its second, and so on until it finishes.
 */
describe('a report build killed between its writes, read over HTTP', () => {
  let stack: RunningLocalStack;

  beforeAll(async () => {
    // Two items a page: the export's pages end inside the report of several parts.
    stack = await sharedReportReadsStack();
  });

  test('a build killed at each write boundary: GET /reports/{month} answers 200 with a whole version, and the export streams every line', async () => {
    const month = freshMonth();
    const [big, small] = usersInShard(2, 41) as [string, string];
    await storeManyPayments(severalPartsOfPayments(big, month, PAYMENTS_OF_SEVERAL_SMALL_PARTS));
    await storePayments([storedPayment({ userId: small, timestamp: `${month}-03T08:00:00.000Z` })]);
    const run = await runReport(reportWorkflow(), month);
    expect(run.status).toBe('SUCCEEDED');
    const [owner, admin] = [
      await stack.token({ sub: big }),
      await stack.token({ sub: randomUUID(), scope: SCOPES.reportsAdmin }),
    ];
    // Rebuilds with a new build time (same figures), by a repository with a tenth of the part budget, over the stack's
    // table: the big user's report in parts of a tenth of the payments.
    const rebuilt = () => rebuiltReports([big, small], month);
    const smallParts = (client?: DynamoDBDocumentClient) => smallPartsRepository(stack.tableNames.payments, client);
    // The version the killed builds replace is in parts too.
    await smallParts().putReports(await rebuilt());

    let writes = 0;
    for (let finished = false; !finished; writes += 1) {
      finished = await finishedBeforeKill(smallParts(clientKilledAfter(writes)).putReports(await rebuilt()));

      const own = await apiFor(stack.url, owner).GET('/reports/{month}', { params: { path: { month } } });
      expect(own.response.status).toBe(200);
      expect(own.data?.payments).toBe(PAYMENTS_OF_SEVERAL_SMALL_PARTS);
      expect(own.data?.commitments.flatMap((commitment) => commitment.payments)).toHaveLength(
        PAYMENTS_OF_SEVERAL_SMALL_PARTS,
      );

      const exported = await apiFor(stack.url, admin).GET('/reports/{month}/export', {
        params: { path: { month }, query: { format: 'jsonl' } },
        parseAs: 'text',
      });
      expect(exported.response.status).toBe(200);
      const lines = (exported.data ?? '')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { userId: string });
      // Two commitments of the big user, one of the small one: the stream was not cut off.
      expect(lines.map((line) => line.userId).sort()).toEqual([big, big, small].sort());
      expect(writes).toBeLessThan(20);
    }
    expect(writes).toBeGreaterThanOrEqual(4);
  }, 300_000);
});
