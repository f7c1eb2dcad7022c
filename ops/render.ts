import type { ExecutionDetail, ExecutionListing, MapRun } from '#ops/execution';
import { executionPath } from '#ops/execution-path';
import { formatDate, formatDuration, table } from '#ops/table';
import type { PaymentTrace } from '#ops/trace';
import type { ConsentChange } from '#domain/commitment-consent';
import { FURNISHING_COLUMNS, furnishingOf, furnishingRows } from '#domain/furnishing';
import { DISPUTE_DEADLINE_DAYS, type Dispute } from '#domain/dispute';
import type { ListedDispute } from '#ops/disputes';

const pathTable = (execution: ExecutionDetail): string =>
  table(
    ['STATE', 'TYPE', 'ENTERED', 'DURATION', 'DECISION', 'ERROR'],
    executionPath(execution.events).map((step) => [
      step.state,
      step.type,
      String(step.entered),
      formatDuration(step.durationMs),
      step.decision,
      step.error ? `${step.error}${step.cause ? `: ${step.cause}` : ''}` : '',
    ]),
  );

export const executionReport = (execution: ExecutionDetail, mapRuns: readonly MapRun[]): string =>
  [
    `Execution  ${execution.executionArn}`,
    `Workflow   ${execution.workflow ?? execution.stateMachineArn}`,
    `Status     ${execution.status}${execution.error ? ` (${execution.error}${execution.cause ? `: ${execution.cause}` : ''})` : ''}`,
    `Started    ${formatDate(execution.startDate)}`,
    `Stopped    ${formatDate(execution.stopDate)}  (${formatDuration(execution.stopDate ? execution.stopDate.getTime() - execution.startDate.getTime() : undefined)})`,
    ...(execution.paymentId ? [`Payment    ${execution.paymentId}`] : []),
    ...(execution.httpStatus === undefined ? [] : [`HTTP       ${execution.httpStatus}`]),
    '',
    pathTable(execution),
    ...mapRunsReport(mapRuns),
    ...furnishingReport(execution.output),
  ].join('\n');

/** A report run's credit-bureau files (its summary's `furnishing`): where each is, its counts, its checks. */
const furnishingReport = (output: unknown): string[] => {
  const outcome = furnishingOf(output);
  return outcome ? ['', 'Furnishing files', table([...FURNISHING_COLUMNS], furnishingRows(outcome))] : [];
};

const durationOf = (item: ExecutionListing): string =>
  formatDuration(item.stopDate ? item.stopDate.getTime() - item.startDate.getTime() : undefined);

export const executionsTable = (listed: readonly ExecutionListing[]): string =>
  table(
    ['STARTED', 'WORKFLOW', 'STATUS', 'HTTP', 'DURATION', 'PAYMENT', 'ERROR', 'EXECUTION'],
    listed.map((item) => [
      formatDate(item.startDate),
      item.workflow ?? '-',
      item.status,
      item.httpStatus === undefined ? '-' : String(item.httpStatus),
      durationOf(item),
      item.paymentId ?? '-',
      item.error ?? '-',
      item.executionArn,
    ]),
  );

/** Each map run's child executions, counted by status, then listed. */
const mapRunsReport = (mapRuns: readonly MapRun[]): string[] =>
  mapRuns.flatMap((run) => {
    const counts = new Map<string, number>();
    for (const child of run.executions) counts.set(child.status, (counts.get(child.status) ?? 0) + 1);
    const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
    return [
      '',
      `Map run ${run.mapRunArn}: ${run.executions.length} child executions${summary ? ` (${summary})` : ''}`,
      table(
        ['STARTED', 'STATUS', 'DURATION', 'ERROR', 'EXECUTION'],
        run.executions.map((child) => [
          formatDate(child.startDate),
          child.status,
          durationOf(child),
          child.error ?? '-',
          child.executionArn,
        ]),
      ),
    ];
  });

/** The stored item's fields, then its reversal's (decisions/0019), if the bank reversed it. */
const storedSection = (trace: PaymentTrace): string[] => {
  if (!trace.stored) return ['  none (never accepted)'];
  const { reversal, ...stored } = trace.stored;
  const fields = (record: object): string =>
    table(
      ['FIELD', 'VALUE'],
      Object.entries(record).map(([field, value]) => [field, String(value)]),
    );
  return [
    fields(stored),
    ...(reversal ? ['', 'Reversed by the bank (counts as not paid from the next report run):', fields(reversal)] : []),
  ];
};

export const traceReport = (trace: PaymentTrace): string => {
  const lines = [`Payment ${trace.paymentId}`, '', `Submission attempts (${trace.attempts.length}, oldest first):`];
  lines.push(
    table(
      ['#', 'STARTED', 'REQUEST ID', 'USER', 'CLIENT', 'HTTP', 'OUTCOME'],
      trace.attempts.map((attempt, index) => [
        String(index + 1),
        formatDate(attempt.startDate),
        attempt.requestId,
        attempt.user ?? '-',
        attempt.clientId ?? '-',
        attempt.httpStatus === undefined ? '-' : String(attempt.httpStatus),
        attempt.outcome,
      ]),
    ),
  );
  trace.attempts.forEach((attempt, index) => {
    const where =
      attempt.batchIndex === undefined
        ? ''
        : ` (payment ${attempt.batchIndex} of a batch: its states summed with the others')`;
    lines.push('', `Attempt ${index + 1}: ${attempt.executionArn}${where}`);
    lines.push(
      table(
        ['STATE', 'DURATION', 'DECISION', 'ERROR'],
        attempt.steps.map((step) => [step.state, formatDuration(step.durationMs), step.decision, step.error ?? '']),
      ),
    );
  });
  lines.push('', 'Stored payment:', ...storedSection(trace));
  lines.push('', 'Monthly reports that include it:');
  lines.push(
    trace.reports.length > 0
      ? table(
          ['MONTH', 'USER', 'COMMITMENT', 'STREAK'],
          trace.reports.map((report) => [
            report.month,
            report.userId,
            report.reversed ? `${report.commitment} (reversed: not counted)` : report.commitment,
            String(report.streak),
          ]),
        )
      : '  none yet',
  );
  return lines.join('\n');
};

const optedIn = (report: boolean): string => (report ? 'opted in' : 'opted out');

/** `consent`: a customer's changes, oldest first; the last of a commitment is its state now. */
export const consentReport = (changes: readonly ConsentChange[]): string =>
  changes.length === 0
    ? 'No consent changes: every commitment has the stage default (CONSENT_DEFAULT, cdk.json consentDefault).'
    : table(
        ['AT', 'COMMITMENT', 'FROM', 'TO', 'CLIENT'],
        changes.map((change) => [
          change.at,
          change.commitmentId,
          optedIn(change.from),
          optedIn(change.to),
          change.clientId,
        ]),
      );

/** One line per open dispute past the deadline, oldest first: what `npm run ops` warns of. */
export const overdueWarnings = (overdue: readonly ListedDispute[]): string[] =>
  overdue.map(
    (dispute) =>
      `WARNING: dispute ${dispute.disputeId} open ${dispute.ageDays} days, past the ${DISPUTE_DEADLINE_DAYS}-day deadline ` +
      `(npm run ops -- disputes resolve ${dispute.disputeId} --outcome ... --note ...)`,
  );

/** `disputes`: the warnings, then the disputes oldest first with their age (open ones) or outcome. */
export const disputesReport = (listed: readonly ListedDispute[], all: boolean): string => {
  if (listed.length === 0) return all ? 'No disputes.' : 'No open disputes.';
  const rows = listed.map((dispute) => [
    dispute.filed.at,
    dispute.ageDays === undefined ? '-' : `${dispute.ageDays} d`,
    dispute.state,
    dispute.disputeId,
    dispute.userId,
    dispute.commitmentId,
    dispute.month,
    dispute.paymentId ?? '-',
    dispute.reason,
  ]);
  const headers = ['FILED', 'AGE', 'STATE', 'DISPUTE', 'USER', 'COMMITMENT', 'MONTH', 'PAYMENT', 'REASON'];
  const warnings = overdueWarnings(listed.filter((dispute) => dispute.overdue));
  return [...warnings, ...(warnings.length > 0 ? [''] : []), table(headers, rows)].join('\n');
};

/** `disputes resolve`: the dispute as it now stands, with the audited step. */
export const resolvedReport = (dispute: Dispute): string =>
  table(
    ['FIELD', 'VALUE'],
    [
      ['dispute', dispute.disputeId],
      ['state', dispute.state],
      ['user', dispute.userId],
      ['commitment', dispute.commitmentId],
      ['month', dispute.month],
      ['filed', dispute.filed.at],
      ['resolved', dispute.resolution?.at ?? '-'],
      ['by', `${dispute.resolution?.by ?? '-'} (${dispute.resolution?.clientId ?? '-'})`],
      ['note', dispute.resolution?.note ?? '-'],
    ],
  );
