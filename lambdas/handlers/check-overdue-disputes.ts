import type { Context } from 'aws-lambda';
import { OPEN_DISPUTES_LOG } from '#contract/dispute-check';
import { type DisputeAge, type OpenDisputesSummary, summariseOpenDisputes } from '#domain/dispute';
import { type OpenDisputeMarker, lazyDisputeRepository } from '#adapters/dispute-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

/** The daily rule's input: its event id, as every log line's correlation id. */
export interface CheckOverdueDisputesInput {
  requestId: string;
}

const observability = createObservability();
const disputes = lazyDisputeRepository(observability);

/** The markers as the open disputes they stand for: their filing time is all the count needs. */
const asOpen = (markers: readonly OpenDisputeMarker[]): DisputeAge[] =>
  markers.map(({ filedAt }) => ({ state: 'open' as const, filed: { at: filedAt } }));

/**
 * CheckOverdueDisputes (daily, EventBridge): counts the open disputes and those past the 30-day deadline (the
 * domain's rule, isOverdue) and logs them in one line, from which metric filters feed DisputesOverdue and
 * OldestOpenDisputeAgeDays; an alarm on DisputesOverdue notifies operations. Counts only: no id, no user.
 */
export const handler: (input: CheckOverdueDisputesInput, context: Context) => Promise<OpenDisputesSummary> =
  workflowHandler(observability, async () => {
    const summary = summariseOpenDisputes(asOpen(await disputes().openMarkers()), new Date());
    observability.logger[summary.overdue > 0 ? 'warn' : 'info'](OPEN_DISPUTES_LOG.message, {
      [OPEN_DISPUTES_LOG.open]: summary.open,
      [OPEN_DISPUTES_LOG.overdue]: summary.overdue,
      [OPEN_DISPUTES_LOG.oldestOpenAgeDays]: summary.oldestOpenAgeDays,
    });
    return summary;
  });
