import { ENV, type EnvName } from '#contract/environment';
import { IDEMPOTENCY_TABLE, PAYMENTS_KEY_PREFIXES, PAYMENTS_TABLE, type TableDefinition } from '#contract/tables';

/**
 * What a function may do to a table: `R` read; `R+Put` read and write whole items (no update, no
 * delete: payments, reports and run summaries are only ever put); `R+BatchPut` also in batches
 * (a report's parts; a replaced version's parts deleted) and an update (a month summary changed
 * with a report, in one transaction: decisions/0014); `RW` also
 * update and delete (Powertools updates an idempotency record, and deletes it when the call fails).
 */
export type TableAccess = 'R' | 'R+Put' | 'R+BatchPut' | 'RW';

/** A function's access to one table. */
export interface TableBinding {
  table: TableDefinition;
  access: TableAccess;
  /**
   * The partition key prefixes of the items it may write (its own item kinds, PAYMENTS_KEY_PREFIXES): its writes are
   * allowed only where `dynamodb:LeadingKeys` starts with one of them. Required of a writer of a shared table.
   */
  writes?: readonly string[];
}

/**
 * The Lambda functions of the submission path: where each handler lives, the ASL placeholder
 * its ARN replaces, and the tables it may touch. CDK builds functions, substitutions and
 * grants from this list; the local stack binds the same handlers to the same states.
 */
export interface FunctionDefinition {
  /** Construct id and local function name, e.g. `ValidatePayment` (also the ASL state name). */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  /** `${...}` placeholder of its ARN in the ASL. */
  arnPlaceholder: string;
  tables: ReadonlyArray<TableBinding>;
  timeoutSeconds: number;
  /**
   * Streams its HTTP answer (Lambda response streaming; API Gateway's STREAM transfer mode). Its
   * module exports `answer` (status, headers and a body produced chunk by chunk), which the local
   * gateway streams, besides `handler`, Lambda's streaming wrapper of the same `answer`.
   */
  responseStreaming?: boolean;
  /** May ask the workflow service about executions of its own workflow (DescribeExecution): whether a run still runs. */
  describesOwnExecutions?: boolean;
}

export const SUBMISSION_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'ValidatePayment',
    entry: 'lambdas/handlers/validate-payment.ts',
    arnPlaceholder: 'ValidatePaymentFunctionArn',
    tables: [],
    timeoutSeconds: 5,
  },
  {
    name: 'AuthorizeOwner',
    entry: 'lambdas/handlers/authorize-owner.ts',
    arnPlaceholder: 'AuthorizeOwnerFunctionArn',
    tables: [],
    timeoutSeconds: 5,
  },
  {
    name: 'CheckIdempotency',
    entry: 'lambdas/handlers/check-idempotency.ts',
    arnPlaceholder: 'CheckIdempotencyFunctionArn',
    tables: [
      { table: IDEMPOTENCY_TABLE, access: 'RW' },
      { table: PAYMENTS_TABLE, access: 'R' },
    ],
    timeoutSeconds: 10,
  },
  {
    name: 'StorePayment',
    entry: 'lambdas/handlers/store-payment.ts',
    arnPlaceholder: 'StorePaymentFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.payment] }],
    timeoutSeconds: 10,
  },
];

/** Each workflow: its ASL file (relative to the repository root) and its functions. */
export const SUBMIT_PAYMENT_WORKFLOW = {
  name: 'SubmitPayment',
  definitionFile: 'statemachines/submit-payment.asl.json',
  type: 'EXPRESS',
  functions: SUBMISSION_FUNCTIONS,
} as const;

/**
 * The batch workflow's own steps, around the Map that runs the submission functions once per payment: one
 * invocation each per batch.
 */
export const BATCH_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'ReadBatch',
    entry: 'lambdas/handlers/read-batch.ts',
    arnPlaceholder: 'ReadBatchFunctionArn',
    tables: [],
    timeoutSeconds: 5,
  },
  {
    name: 'AnswerBatch',
    entry: 'lambdas/handlers/answer-batch.ts',
    arnPlaceholder: 'AnswerBatchFunctionArn',
    tables: [],
    timeoutSeconds: 5,
  },
];

/**
 * POST /payments/batch: one Express execution per batch, whose Map runs the submit-payment workflow's states (composed
 * from its file, contract/workflow-definition.ts) once per payment, with the same functions.
 */
export const SUBMIT_PAYMENT_BATCH_WORKFLOW = {
  name: 'SubmitPaymentBatch',
  definitionFile: 'statemachines/submit-payment-batch.asl.json',
  itemProcessorFile: SUBMIT_PAYMENT_WORKFLOW.definitionFile,
  type: 'EXPRESS',
  functions: [...BATCH_FUNCTIONS, ...SUBMISSION_FUNCTIONS],
} as const;

/**
 * The Lambda functions of the monthly report run. Each name is also the ASL state that calls it,
 * but for RecordFailedBatch, which both phases' failure states call (RecordFailedBatch,
 * RecordFailedLateBatch).
 */
export const REPORT_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'StartReportRun',
    entry: 'lambdas/handlers/start-report-run.ts',
    arnPlaceholder: 'StartReportRunFunctionArn',
    // The month's run lock: conditional puts, and DescribeExecution of the run holding it.
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.runSummary] }],
    describesOwnExecutions: true,
    timeoutSeconds: 10,
  },
  {
    name: 'RebuildLateReports',
    entry: 'lambdas/handlers/rebuild-late-reports.ts',
    arnPlaceholder: 'RebuildLateReportsFunctionArn',
    tables: [
      {
        table: PAYMENTS_TABLE,
        access: 'R+BatchPut',
        // Report parts, and the month summary a changed report moves in the same transaction (decisions/0014).
        writes: [PAYMENTS_KEY_PREFIXES.report, PAYMENTS_KEY_PREFIXES.runSummary],
      },
    ],
    // Up to 100 late payments' users, each up to 24 months rebuilt in order.
    timeoutSeconds: 300,
  },
  {
    name: 'BuildReports',
    entry: 'lambdas/handlers/build-reports.ts',
    arnPlaceholder: 'BuildReportsFunctionArn',
    tables: [
      {
        table: PAYMENTS_TABLE,
        access: 'R+BatchPut',
        // Report parts, and the month summary a changed report moves in the same transaction (decisions/0014).
        writes: [PAYMENTS_KEY_PREFIXES.report, PAYMENTS_KEY_PREFIXES.runSummary],
      },
    ],
    // A page of about 1,000 payments: a few range queries and a few dozen batch writes.
    timeoutSeconds: 120,
  },
  {
    name: 'RecordFailedBatch',
    entry: 'lambdas/handlers/record-failed-batch.ts',
    arnPlaceholder: 'RecordFailedBatchFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 30,
  },
  {
    name: 'WriteSummary',
    entry: 'lambdas/handlers/write-summary.ts',
    arnPlaceholder: 'WriteSummaryFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.runSummary] }],
    timeoutSeconds: 10,
  },
];

/**
 * Lambda functions behind the read endpoints (Lambda proxy integrations, not workflow steps):
 * each answers HTTP itself (contract/routes.ts says which route and scopes). `arnPlaceholder` is unused:
 * no ASL names them.
 */
export const READ_API_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'GetPayment',
    entry: 'lambdas/handlers/get-payment.ts',
    arnPlaceholder: 'GetPaymentFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'ListPayments',
    entry: 'lambdas/handlers/list-payments.ts',
    arnPlaceholder: 'ListPaymentsFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'GetReportSummary',
    entry: 'lambdas/handlers/get-report-summary.ts',
    arnPlaceholder: 'GetReportSummaryFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'GetReport',
    entry: 'lambdas/handlers/get-report.ts',
    arnPlaceholder: 'GetReportFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'ListCommitments',
    entry: 'lambdas/handlers/list-commitments.ts',
    arnPlaceholder: 'ListCommitmentsFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'CorrectCommitments',
    entry: 'lambdas/handlers/correct-commitments.ts',
    arnPlaceholder: 'CorrectCommitmentsFunctionArn',
    // Appends a correction item (one put, never an update): the report run reads it.
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.corrections] }],
    timeoutSeconds: 10,
  },
  {
    name: 'ExportReports',
    entry: 'lambdas/handlers/export-reports.ts',
    arnPlaceholder: 'ExportReportsFunctionArn',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    // A whole month, page by page: API Gateway's streaming integrations may run up to 15 minutes.
    timeoutSeconds: 900,
    responseStreaming: true,
  },
];

/** The monthly report run: Standard (long, auditable history), started by schedule or by hand. */
export const MONTHLY_REPORT_WORKFLOW = {
  name: 'MonthlyReport',
  definitionFile: 'statemachines/monthly-report.asl.json',
  type: 'STANDARD',
  functions: REPORT_FUNCTIONS,
} as const;

/**
 * Which environment variable carries each table's name: infra sets it where it grants the
 * table (one call, so name and permission cannot drift apart); handlers read it.
 */
export const TABLE_NAME_ENV: Readonly<Record<string, EnvName>> = {
  [PAYMENTS_TABLE.id]: ENV.paymentsTable,
  [IDEMPOTENCY_TABLE.id]: ENV.idempotencyTable,
};
