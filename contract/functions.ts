import { ENV, type EnvName } from '#contract/environment';
import {
  IDEMPOTENCY_TABLE,
  IDENTITIES_TABLE,
  PAYMENTS_KEY_PREFIXES,
  PAYMENTS_TABLE,
  type TableDefinition,
} from '#contract/tables';

/**
 * What a function may do to a table: `R` read; `R+Put` read and write whole items (no update, no
 * delete: payments, reports and run summaries are only ever put); `R+BatchPut` also in batches
 * (a report's parts; a replaced version's parts deleted) and an update (a month summary changed
 * with a report, in one transaction: decisions/0014); `RW` also
 * update and delete (Powertools updates an idempotency record, and deletes it when the call fails); `R+Update` read
 * and update only (a reversal added to its stored payment, which is never put again nor deleted: decisions/0019).
 */
export type TableAccess = 'R' | 'R+Put' | 'R+BatchPut' | 'R+Update' | 'RW';

/** A function's access to one table. */
export interface TableBinding {
  table: TableDefinition;
  access: TableAccess;
  /**
   * The partition key prefixes of the items it may write (its own item kinds, PAYMENTS_KEY_PREFIXES): its writes are
   * allowed only where `dynamodb:LeadingKeys` starts with one of them. Required of a writer of a shared table.
   */
  writes?: readonly string[];
  /**
   * Also reads by many keys at once (BatchGetItem): the furnishing step's page of customers' identities; operations'
   * open disputes.
   */
  batchReads?: boolean;
  /**
   * The partition key prefixes of the items it may delete (DeleteItem only where `dynamodb:LeadingKeys` starts with
   * one of them): a resolution's open-dispute marker. No other item of the payments table is ever deleted this way.
   */
  deletes?: readonly string[];
}

/**
 * The Lambda functions of the submission path: where each handler lives, the ASL placeholder
 * its ARN replaces, and the tables it may touch. CDK builds functions, substitutions and
 * grants from this list; the local stack binds the same handlers to the same states.
 */
export interface FunctionDefinition {
  /** Construct id and local function name, e.g. `ValidatePayment` (also the ASL state name). */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. Derived from `name` (definedByName). */
  entry: string;
  /** `${...}` placeholder of its ARN in the ASL. Derived from `name` (definedByName). */
  arnPlaceholder: string;
  tables: ReadonlyArray<TableBinding>;
  timeoutSeconds: number;
  /**
   * Streams its HTTP answer (Lambda response streaming; API Gateway's STREAM transfer mode). Its
   * module exports `answer` (status, headers and a body produced chunk by chunk), which the local
   * gateway streams, besides `handler`, Lambda's streaming wrapper of the same `answer`.
   */
  responseStreaming?: boolean;
  /** Ephemeral storage (/tmp) beyond Lambda's 512 MiB: FurnishShard stages a shard's parts there. */
  ephemeralStorageMiB?: number;
  /** May ask the workflow service about executions of its own workflow (DescribeExecution): whether a run still runs. */
  describesOwnExecutions?: boolean;
}

/** A function as written in the lists below: `entry` and `arnPlaceholder` are given only where the name cannot say them. */
export type FunctionSpec = Omit<FunctionDefinition, 'entry' | 'arnPlaceholder'> &
  Partial<Pick<FunctionDefinition, 'entry' | 'arnPlaceholder'>>;

/** The furnishing's erasure step (issue 23): the one workflow function that writes customers' identity items (0020). */
export const FURNISHING_FUNCTION_NAME = 'MarkErasuresFurnished';

/**
 * The erasure step's access to the identities table: each furnished erasure's marker read and replaced (a conditional
 * put); the shards' parts read identities in batches, FurnishShard's own binding (decision 0023). Given by name, so
 * the function has it wherever it is listed, and no other workflow function can.
 */
export const FURNISHING_IDENTITIES_BINDING: TableBinding = {
  table: IDENTITIES_TABLE,
  access: 'R+Put',
};

const withFurnishingIdentities = (spec: FunctionSpec): ReadonlyArray<TableBinding> =>
  spec.name === FURNISHING_FUNCTION_NAME && !spec.tables.some((binding) => binding.table.id === IDENTITIES_TABLE.id)
    ? [...spec.tables, FURNISHING_IDENTITIES_BINDING]
    : spec.tables;

/** `ValidatePayment` → `validate-payment`: a hyphen before each capital that follows a lower-case letter or digit. */
const kebabCase = (name: string): string => name.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase();

/**
 * The handler module and the ASL placeholder of each function, from its name (ValidatePayment:
 * lambdas/handlers/validate-payment.ts, `${ValidatePaymentFunctionArn}`), so name, file and placeholder cannot drift.
 */
export const functionNamed = (spec: FunctionSpec): FunctionDefinition => ({
  entry: `lambdas/handlers/${kebabCase(spec.name)}.ts`,
  arnPlaceholder: `${spec.name}FunctionArn`,
  ...spec,
  tables: withFurnishingIdentities(spec),
});

const definedByName = (specs: readonly FunctionSpec[]): readonly FunctionDefinition[] => specs.map(functionNamed);

export const SUBMISSION_FUNCTIONS = definedByName([
  {
    name: 'ValidatePayment',
    tables: [],
    timeoutSeconds: 5,
  },
  {
    name: 'AuthorizeOwner',
    tables: [],
    timeoutSeconds: 5,
  },
  {
    name: 'CheckIdempotency',
    tables: [
      { table: IDEMPOTENCY_TABLE, access: 'RW' },
      { table: PAYMENTS_TABLE, access: 'R' },
    ],
    timeoutSeconds: 10,
  },
  {
    name: 'StorePayment',
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.payment] }],
    timeoutSeconds: 10,
  },
]);

/**
 * The batch workflow's own steps, around the Map that runs the submission functions once per payment: one
 * invocation each per batch.
 */
export const BATCH_FUNCTIONS = definedByName([
  {
    name: 'ReadBatch',
    tables: [],
    timeoutSeconds: 5,
  },
  {
    name: 'AnswerBatch',
    tables: [],
    timeoutSeconds: 5,
  },
]);

/**
 * The Lambda functions of the monthly report run. Each name is also the ASL state that calls it,
 * but for RecordFailedBatch, which both phases' failure states call (RecordFailedBatch,
 * RecordFailedLateBatch).
 */
export const REPORT_FUNCTIONS = definedByName([
  {
    name: 'StartReportRun',
    // The month's run lock: conditional puts, and DescribeExecution of the run holding it.
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.runSummary] }],
    describesOwnExecutions: true,
    timeoutSeconds: 10,
  },
  {
    name: 'RebuildLateReports',
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
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 30,
  },
  {
    name: 'FurnishShard',
    // Reads one shard of the month's reports and a page of identities at once; writes only the parts bucket.
    tables: [
      { table: PAYMENTS_TABLE, access: 'R' },
      { table: IDENTITIES_TABLE, access: 'R', batchReads: true },
    ],
    // A shard's part at 10M customers (~625K records a bureau) within Lambda's limit (the bound: decisions/0023).
    timeoutSeconds: 900,
    // A part is staged here before it is put (~266 MB a bureau at 10M customers; decisions/0023).
    ephemeralStorageMiB: 2_048,
  },
  {
    name: 'FurnishBureau',
    // The assemble step of one bureau: the parts (in the parts bucket) into the files bucket. No table.
    tables: [],
    // One bureau: server-side part copies, then the file streamed once for its SHA-256 (the bound: decisions/0023).
    timeoutSeconds: 900,
  },
  {
    name: 'MarkErasuresFurnished',
    // The erased ids kept beside the parts, then their markers in the identities table (by name, above). No report.
    tables: [],
    // A month's erasures: a Get and a conditional Put each (decisions/0023).
    timeoutSeconds: 300,
  },
  {
    name: 'WriteSummary',
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.runSummary] }],
    timeoutSeconds: 10,
  },
]);

/**
 * Lambda functions behind the read endpoints (Lambda proxy integrations, not workflow steps):
 * each answers HTTP itself (contract/routes.ts says which route and scopes). Their `arnPlaceholder` is unused:
 * no ASL names them.
 */
export const READ_API_FUNCTIONS = definedByName([
  {
    name: 'GetPayment',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'ListPayments',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'GetReportSummary',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'GetReport',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'ListCommitments',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'CorrectCommitments',
    // Appends a correction item (one put, never an update): the report run reads it.
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.corrections] }],
    timeoutSeconds: 10,
  },
  {
    name: 'FileDispute',
    // Puts the dispute's filing (one item, never updated) and its open marker, in one transaction; reads the customer's
    // commitments and payment.
    tables: [
      {
        table: PAYMENTS_TABLE,
        access: 'R+Put',
        writes: [PAYMENTS_KEY_PREFIXES.disputes, PAYMENTS_KEY_PREFIXES.openDisputes],
      },
    ],
    timeoutSeconds: 10,
  },
  {
    name: 'ListDisputes',
    // Operations' open list: one query of the open markers, then the disputes by key (BatchGetItem).
    tables: [{ table: PAYMENTS_TABLE, access: 'R', batchReads: true }],
    timeoutSeconds: 30,
  },
  {
    name: 'GetDispute',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'ResolveDispute',
    // The resolution (a conditional put beside the filing, with the open marker's delete in one transaction) and, for a
    // corrected payment, a commitment correction. It deletes open markers only: the audit trail stays append-only.
    tables: [
      {
        table: PAYMENTS_TABLE,
        access: 'R+Put',
        writes: [PAYMENTS_KEY_PREFIXES.disputes, PAYMENTS_KEY_PREFIXES.corrections],
        deletes: [PAYMENTS_KEY_PREFIXES.openDisputes],
      },
    ],
    timeoutSeconds: 10,
  },
  {
    name: 'GetCommitmentConsent',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'SetCommitmentConsent',
    // Appends a consent change (one put, never an update): the report run reads it.
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.consent] }],
    timeoutSeconds: 10,
  },
  // The identity routes (decision 0020): with FurnishShard and MarkErasuresFurnished, the only functions bound to the
  // identities table.
  {
    name: 'PutCustomerIdentity',
    // Reads the customer's item, then replaces it whole on condition it did not change (no update, no delete).
    tables: [{ table: IDENTITIES_TABLE, access: 'R+Put' }],
    timeoutSeconds: 10,
  },
  {
    name: 'GetCustomerIdentity',
    tables: [{ table: IDENTITIES_TABLE, access: 'R' }],
    timeoutSeconds: 10,
  },
  {
    name: 'EraseCustomerIdentity',
    // Replaces the identity by the erasure marker (a conditional put): nothing personal is left in the item.
    tables: [{ table: IDENTITIES_TABLE, access: 'R+Put' }],
    timeoutSeconds: 10,
  },
  {
    name: 'ReversePayment',
    // Adds the reversal to its payment item (one conditional update; the payment is never put again nor deleted).
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Update', writes: [PAYMENTS_KEY_PREFIXES.payment] }],
    timeoutSeconds: 10,
  },
  {
    name: 'SetCommitmentKind',
    // Appends a kind choice (one put, never an update): the report run reads it.
    tables: [{ table: PAYMENTS_TABLE, access: 'R+Put', writes: [PAYMENTS_KEY_PREFIXES.kinds] }],
    timeoutSeconds: 10,
  },
  {
    name: 'ExportReports',
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    // A whole month, page by page: API Gateway's streaming integrations may run up to 15 minutes.
    timeoutSeconds: 900,
    responseStreaming: true,
  },
]);

/**
 * Operations' own scheduled functions (infra: a daily EventBridge rule each; locally `npm run ops` does their job).
 */
export const OPERATIONS_FUNCTIONS = definedByName([
  {
    name: 'CheckOverdueDisputes',
    // One query of the open disputes' markers: logs the open and overdue counts an alarm reads.
    tables: [{ table: PAYMENTS_TABLE, access: 'R' }],
    timeoutSeconds: 60,
  },
]);

/**
 * Which environment variable carries each table's name: infra sets it where it grants the
 * table (one call, so name and permission cannot drift apart); handlers read it.
 */
export const TABLE_NAME_ENV: Readonly<Record<string, EnvName>> = {
  [PAYMENTS_TABLE.id]: ENV.paymentsTable,
  [IDEMPOTENCY_TABLE.id]: ENV.idempotencyTable,
  [IDENTITIES_TABLE.id]: ENV.identitiesTable,
};
