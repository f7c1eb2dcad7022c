import type { Context } from 'aws-lambda';
import { OPEN_DISPUTES_LOG } from '#contract/dispute-check';
import { type OpenDisputesSummary, summariseOpenDisputes } from '#domain/dispute';
import { lazyDisputeRepository } from '#adapters/dispute-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

/** The daily rule's input: its event id, as every log line's correlation id. */
export interface CheckOverdueDisputesInput {
  requestId: string;
}

const observability = createObservability();
const disputes = lazyDisputeRepository(observability);

/**
 * CheckOverdueDisputes (daily, EventBridge): counts the open disputes and those past the 30-day deadline (the
 * domain's rule, isOverdue) and logs them in one line, from which metric filters feed DisputesOverdue and
 * OldestOpenDisputeAgeDays; an alarm on DisputesOverdue notifies operations. Counts only: no id, no user.
 */
export const handler: (input: CheckOverdueDisputesInput, context: Context) => Promise<OpenDisputesSummary> =
  workflowHandler(observability, async () => {
    const summary = summariseOpenDisputes(await disputes().all(), new Date());
    observability.logger[summary.overdue > 0 ? 'warn' : 'info'](OPEN_DISPUTES_LOG.message, {
      [OPEN_DISPUTES_LOG.open]: summary.open,
      [OPEN_DISPUTES_LOG.overdue]: summary.overdue,
      [OPEN_DISPUTES_LOG.oldestOpenAgeDays]: summary.oldestOpenAgeDays,
    });
    return summary;
  });
