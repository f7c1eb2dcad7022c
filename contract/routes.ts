import { type FunctionDefinition, READ_API_FUNCTIONS } from '#contract/functions';
import { SUBMIT_PAYMENT_BATCH_WORKFLOW, SUBMIT_PAYMENT_WORKFLOW, type WorkflowDefinition } from '#contract/workflows';
import { type SchemaName, jsonLinesOf, schemaRef } from '#contract/openapi-schemas';
import { SCOPES, type Scope } from '#contract/scopes';
import { PROBLEMS, type ProblemName } from '#contract/problems';
import { JSON_CONTENT_TYPE, MAX_BATCH_BODY_BYTES, MAX_BODY_BYTES } from '#contract/workflow-io';
import { MAX_BATCH_PAYMENTS, readBatch } from '#domain/batch';
import { EXPORT_CONTENT_TYPES } from '#contract/export-negotiation';
import { EXPORT_COLUMNS } from '#domain/report-export';

/**
 * The route catalogue: every route of the API, defined once. The deployed API (infra/constructs/payments-api.ts),
 * the local gateway's routing (local/api-gateway/api-routes.ts), the local stack's bindings (local/main.ts) and the
 * OpenAPI paths (contract/openapi.ts) are all derived from it: adding a route is one entry here plus its handler.
 */

/** A JSON Schema, as the OpenAPI document publishes it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A response header as the OpenAPI document describes it. */
export interface HeaderSpec {
  description?: string;
  schema: JsonSchema;
}

/** How the document describes each header a problem of the catalogue carries. */
const PROBLEM_HEADER_SPECS: Readonly<Record<string, HeaderSpec>> = {
  'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  'WWW-Authenticate': { schema: { type: 'string' } },
};

/** The headers the named problems carry, as the catalogue says: one status's problems share a description. */
export const problemHeaders = (names: readonly ProblemName[]): Record<string, HeaderSpec> =>
  Object.fromEntries(
    names
      .flatMap((name) => Object.keys(PROBLEMS[name].headers ?? {}))
      .map((header) => {
        const spec = PROBLEM_HEADER_SPECS[header];
        if (!spec) throw new Error(`No description of the header ${header} (contract/routes.ts PROBLEM_HEADER_SPECS)`);
        return [header, spec];
      }),
  );

const LOCATION: Record<string, HeaderSpec> = {
  Location: { description: "The payment's URL.", schema: { type: 'string' } },
};

export interface RouteParameter {
  name: string;
  /** A path parameter is one `{name}` segment of the path (always required); a query parameter is optional unless said. */
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

/** A successful answer of a route. The request id header is on every answer and is not repeated here. */
export interface RouteAnswer {
  description: string;
  headers?: Readonly<Record<string, HeaderSpec>>;
  /** The body by media type; none for an answer without a body (204). */
  content?: Readonly<Record<string, { schema: JsonSchema }>>;
}

/**
 * The problems a route answers with one status, by their names in the problem catalogue
 * (contract/problems.ts), which gives each its status, type, title and headers.
 */
export interface RouteProblems {
  description: string;
  names: readonly ProblemName[];
}

/** A Lambda proxy integration: the function answers HTTP itself. */
export interface FunctionIntegration {
  kind: 'function';
  function: FunctionDefinition;
  /** A function route that takes a JSON body (a POST): its published schema and the largest body accepted (413 beyond). */
  body?: { schema: SchemaName; maxBytes: number };
}

/**
 * A synchronous workflow integration: the request body travels untouched into the workflow input and the
 * workflow's terminal state builds the answer (contract/http-mapping.ts locally, contract/api-gateway-templates.ts
 * deployed). Only a JSON body is accepted, at most `maxBodyBytes`.
 */
export interface SyncWorkflowIntegration {
  kind: 'sync-workflow';
  /** An Express workflow the API starts with StartSyncExecution (no proxy Lambda), through the shared mappings. */
  workflow: WorkflowDefinition<'EXPRESS'>;
  /** The largest body accepted (413 beyond): the web ACL deployed, the local gateway locally. */
  maxBodyBytes: number;
  /** The published schema of the request body (the workflow validates it; API Gateway checks it is one JSON object). */
  requestSchema: SchemaName;
  /**
   * A request that carries several submissions, each counting against the caller's rate share (a batch of 100 is 100
   * requests' worth, not one): counted exactly by the local gateway, bounded by the web ACL's per-caller batch rule
   * in AWS (infra/constructs/firewall.ts), which can count requests only and so assumes `max` in each.
   */
  items?: RequestItems;
}

export interface RequestItems {
  /** The most submissions one request carries. */
  max: number;
  /** How many a body carries: 1 for a body the workflow will refuse whole. */
  count: (body: string) => number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Route {
  method: HttpMethod;
  /** As API Gateway writes it: `{name}` stands for one path segment. */
  path: string;
  /** The OpenAPI operation id and the API Gateway operation name. */
  operationId: string;
  summary: string;
  description: string;
  /** The authorizer admits a token holding any one of these (API Gateway `authorizationScopes`). */
  scopes: readonly Scope[];
  /** Scopes the route reads besides, which widen what the caller may do (published as a second security requirement). */
  wideningScopes?: readonly Scope[];
  serve: FunctionIntegration | SyncWorkflowIntegration;
  parameters?: readonly RouteParameter[];
  answers: Readonly<Record<number, RouteAnswer>>;
  problems: Readonly<Record<number, RouteProblems>>;
}

/** `POST /payments`: how a route is named in logs, tests and maps. */
export const routeKey = (route: Pick<Route, 'method' | 'path'>): string => `${route.method} ${route.path}`;

/** The `{name}` parameters of a path, in order. */
export const pathParameterNames = (path: string): string[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);

const readFunction = (name: string, body?: FunctionIntegration['body']): FunctionIntegration => {
  const definition = READ_API_FUNCTIONS.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`No read function ${name} in contract/functions.ts`);
  return { kind: 'function', function: definition, ...(body ? { body } : {}) };
};

const MONTH_PARAMETER: RouteParameter = {
  name: 'month',
  in: 'path',
  required: true,
  schema: { type: 'string', examples: ['2026-10'] },
};

const json = (name: SchemaName): RouteAnswer['content'] => ({ [JSON_CONTENT_TYPE]: { schema: schemaRef(name) } });

/** What every read route may answer besides its own answers: no token, no scope, nothing of the caller's, a failure. */
const readProblems = (what: string, scope: Scope = SCOPES.read): Record<number, RouteProblems> => ({
  401: { description: 'No token, or a token that is not valid.', names: ['Unauthorized'] },
  403: { description: `The token lacks \`${scope}\` (type ${PROBLEMS.MissingScope.slug}).`, names: ['MissingScope'] },
  404: { description: `No such ${what} of the caller's (none, or another user's).`, names: ['NotFound'] },
  429: {
    description:
      'Throttled: this caller, or every caller, is over its share (in AWS the web ACL or the stage throttle).',
    names: ['Throttled'],
  },
  500: { description: 'Unexpected failure. Retrying is safe.', names: ['InternalError'] },
  503: { description: 'The store is unavailable. Retry later.', names: ['DependencyUnavailable'] },
});

/** What the gateway refuses of any workflow route's request before its workflow runs: the content type, the rate. */
const CONTENT_AND_RATE_PROBLEMS: Record<number, RouteProblems> = {
  415: { description: 'The body is not `application/json`.', names: ['UnsupportedMediaType'] },
  429: { description: 'Throttled.', names: ['Throttled'] },
};

const SUBMIT_PAYMENT: Route = {
  method: 'POST',
  path: '/payments',
  operationId: 'submitPayment',
  summary: 'Submit one recurring payment',
  description:
    `Runs the submit-payment workflow. The caller may submit only for its own user id (token \`sub\`), ` +
    `unless its token holds \`${SCOPES.submitOnBehalf}\`. Requires \`${SCOPES.write}\`. ` +
    `Bodies over ${MAX_BODY_BYTES} bytes are refused.`,
  scopes: [SCOPES.write],
  wideningScopes: [SCOPES.submitOnBehalf],
  serve: {
    kind: 'sync-workflow',
    workflow: SUBMIT_PAYMENT_WORKFLOW,
    maxBodyBytes: MAX_BODY_BYTES,
    requestSchema: 'PaymentSubmission',
  },
  answers: {
    201: { description: 'Stored. The body is the stored payment.', headers: LOCATION, content: json('StoredPayment') },
    200: {
      description:
        'The same submission again (same id, same content): the first answer, replayed. Nothing new is written.',
      headers: {
        'Idempotent-Replayed': { description: 'Always `true`.', schema: { type: 'string', const: 'true' } },
        ...LOCATION,
      },
      content: json('StoredPayment'),
    },
  },
  problems: {
    400: {
      description: 'The body is not valid JSON or breaks the schema; `errors` names each field.',
      names: ['InvalidJson', 'InvalidPayment'],
    },
    401: {
      description: 'No token, bad signature, expired, wrong issuer, wrong token use or unknown client.',
      names: ['Unauthorized'],
    },
    403: {
      description: 'The token is valid but may not submit this payment (another user, missing scope).',
      names: ['MissingScope', 'NotPaymentOwner'],
    },
    409: {
      description:
        'The payment id already exists with different content (type payment-conflict), or another submission of it is still in progress ' +
        '(type submission-in-progress, with Retry-After: the same request may be sent again).',
      names: ['PaymentConflict', 'SubmissionInProgress'],
    },
    413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes.`, names: ['PayloadTooLarge'] },
    ...CONTENT_AND_RATE_PROBLEMS,
    500: {
      description: 'Unexpected failure; nothing was stored. Retrying the same request is safe.',
      names: ['InternalError'],
    },
    503: {
      description: 'A dependency is unavailable; nothing was stored. Retry the same request later.',
      names: ['DependencyUnavailable'],
    },
  },
};

/** The payments a batch body holds, as ReadBatch reads it; 1 for a body it refuses whole (nothing is submitted). */
const batchItemCount = (body: string): number => {
  try {
    return readBatch(body, { maxBodyBytes: MAX_BATCH_BODY_BYTES, maxItemBytes: MAX_BODY_BYTES }).length;
  } catch {
    return 1;
  }
};

const SUBMIT_PAYMENT_BATCH: Route = {
  method: 'POST',
  path: '/payments/batch',
  operationId: 'submitPaymentBatch',
  summary: `Submit 1 to ${MAX_BATCH_PAYMENTS} payments in one request (bank-feed integrations)`,
  description:
    `Each payment is handled exactly as \`POST /payments\` handles it (validation, ownership, idempotency, the ` +
    `conditional put), on its own: the answer is 200 with one result per payment, in order, each with the status a ` +
    `single submission would have answered and the stored payment or the problem, and the counts by status. Two ` +
    `payments with the same id are two submissions of it: one stores, the other replays or conflicts. Only ` +
    `request-level problems refuse the whole request. Sending the same batch again is safe: stored payments answer ` +
    `200. To retry the payments that answered 503 (or 409 submission-in-progress), send them again, unchanged, ` +
    `after the seconds its result's \`retryAfter\` says, alone or in a new batch. For trusted integrations only: ` +
    `requires \`${SCOPES.submitOnBehalf}\` (a user's app submits one payment at a time). Each payment counts as one ` +
    `request against the caller's rate share. At most ${MAX_BATCH_BODY_BYTES} bytes in all, each payment at most ` +
    `${MAX_BODY_BYTES} bytes.`,
  // Only integrations: a user app's token would otherwise send 100 payments for the price of one request.
  scopes: [SCOPES.submitOnBehalf],
  serve: {
    kind: 'sync-workflow',
    workflow: SUBMIT_PAYMENT_BATCH_WORKFLOW,
    maxBodyBytes: MAX_BATCH_BODY_BYTES,
    requestSchema: 'PaymentBatch',
    items: { max: MAX_BATCH_PAYMENTS, count: (body) => batchItemCount(body) },
  },
  answers: {
    200: {
      description:
        'The batch was read: one result per payment, in order (each with its own status, and its own `retryAfter` ' +
        'where it may be sent again later), and the counts by status.',
      content: json('BatchResults'),
    },
  },
  problems: {
    400: {
      description: `The body is not valid JSON, or not \`{"payments": [...]}\` with 1 to ${MAX_BATCH_PAYMENTS} payments; \`errors\` names the field.`,
      names: ['InvalidJson', 'InvalidBatch'],
    },
    401: {
      description: 'No token, bad signature, expired, wrong issuer, wrong token use or unknown client.',
      names: ['Unauthorized'],
    },
    403: {
      description: `The token lacks \`${SCOPES.submitOnBehalf}\` (a user's app token, or a read-only one).`,
      names: ['MissingScope'],
    },
    413: {
      description: `The body is larger than ${MAX_BATCH_BODY_BYTES} bytes, or one payment larger than ${MAX_BODY_BYTES}.`,
      names: ['PayloadTooLarge'],
    },
    ...CONTENT_AND_RATE_PROBLEMS,
    500: {
      description: 'Unexpected failure. Retrying the same request is safe: payments already stored answer 200.',
      names: ['InternalError'],
    },
    503: {
      description:
        'The workflow could not start (or the batch could not be read); nothing was stored. Retry the same request later.',
      names: ['DependencyUnavailable'],
    },
  },
};

const LIST_PAYMENTS: Route = {
  method: 'GET',
  path: '/payments',
  operationId: 'listPayments',
  summary: "The caller's payments of a month",
  description:
    `The caller's own payments of the month in time order, a page at a time: pass \`nextCursor\` back as \`cursor\` ` +
    `for the next page; it is absent on the last. Requires \`${SCOPES.read}\`.`,
  scopes: [SCOPES.read],
  serve: readFunction('ListPayments'),
  parameters: [
    { name: 'month', in: 'query', required: true, schema: { type: 'string', examples: ['2026-10'] } },
    { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
    {
      name: 'cursor',
      in: 'query',
      required: false,
      description: "Opaque: a previous page's `nextCursor`.",
      schema: { type: 'string' },
    },
  ],
  answers: {
    200: {
      description: 'One page of payments.',
      content: {
        [JSON_CONTENT_TYPE]: {
          schema: {
            type: 'object',
            required: ['month', 'payments'],
            properties: {
              month: { type: 'string' },
              payments: { type: 'array', items: schemaRef('StoredPayment') },
              nextCursor: { type: 'string' },
            },
          },
        },
      },
    },
  },
  problems: {
    400: { description: '`month`, `limit` or `cursor` is not valid; `errors` names it.', names: ['InvalidParameter'] },
    ...readProblems('payments'),
  },
};

const GET_PAYMENT: Route = {
  method: 'GET',
  path: '/payments/{id}',
  operationId: 'getPayment',
  summary: "One of the caller's payments",
  description: `The payment as stored. Another user's payment answers 404, as an unknown id does. Requires \`${SCOPES.read}\`.`,
  scopes: [SCOPES.read],
  serve: readFunction('GetPayment'),
  parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
  answers: { 200: { description: 'The stored payment.', content: json('StoredPayment') } },
  problems: readProblems('payment'),
};

const REVERSE_PAYMENT: Route = {
  method: 'POST',
  path: '/payments/{id}/reversal',
  operationId: 'reversePayment',
  summary: 'Report a payment returned or reversed by the bank (integrations)',
  description:
    'The payment stays stored, with the reversal beside it (who, when, which client); from the next report run at the ' +
    "latest it no longer counts as kept: its cycle is unpaid again (pending, or missed once the due date's tolerance " +
    'has passed), later streaks are rebuilt, and the report cites it under `reversedPayments` and `reversedMonths`. ' +
    'One reversal per payment: the same one again answers 200 with the stored one, a different one 409. ' +
    `Only the integration that submitted the payment for its customer (\`${SCOPES.submitOnBehalf}\`). ` +
    `Bodies over ${MAX_BODY_BYTES} bytes are refused.`,
  scopes: [SCOPES.submitOnBehalf],
  serve: readFunction('ReversePayment', { schema: 'ReversalRequest', maxBytes: MAX_BODY_BYTES }),
  parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
  answers: {
    201: { description: 'Recorded: the reversal as stored.', content: json('PaymentReversal') },
    200: {
      description: 'The same reversal again: the stored one. Nothing new is written.',
      headers: { 'Idempotent-Replayed': { description: 'Always `true`.', schema: { type: 'string', const: 'true' } } },
      content: json('PaymentReversal'),
    },
  },
  problems: {
    400: {
      description:
        "Not JSON, or not a reversal: `errors` names each field (`reversedOn` before the payment's date or in the future).",
      names: ['InvalidJson', 'InvalidReversal'],
    },
    ...readProblems('payment', SCOPES.submitOnBehalf),
    403: {
      description:
        `The token lacks \`${SCOPES.submitOnBehalf}\`, or the payment is not one this integration submitted for its ` +
        "customer (another integration's, or the customer's own).",
      names: ['MissingScope', 'NotReversible'],
    },
    404: { description: 'No payment with this id.', names: ['NotFound'] },
    409: { description: 'The payment is already reversed, differently.', names: ['ReversalConflict'] },
    413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes.`, names: ['PayloadTooLarge'] },
  },
};

const GET_REPORT: Route = {
  method: 'GET',
  path: '/reports/{month}',
  operationId: 'getReport',
  summary: "The caller's monthly report",
  description: `The report the monthly run built for the caller and month. Requires \`${SCOPES.read}\`.`,
  scopes: [SCOPES.read],
  serve: readFunction('GetReport'),
  parameters: [MONTH_PARAMETER],
  answers: { 200: { description: 'The report.', content: json('MonthlyReport') } },
  problems: readProblems('report'),
};

const GET_REPORT_SUMMARY: Route = {
  method: 'GET',
  path: '/reports/{month}/summary',
  operationId: 'getReportSummary',
  summary: "The month's report run summary (operations)",
  description: `The latest run's totals and the users whose report failed. Requires \`${SCOPES.reportsAdmin}\`.`,
  scopes: [SCOPES.reportsAdmin],
  serve: readFunction('GetReportSummary'),
  parameters: [MONTH_PARAMETER],
  answers: { 200: { description: 'The run summary.', content: json('RunSummary') } },
  problems: readProblems('report run', SCOPES.reportsAdmin),
};

const EXPORT_REPORTS: Route = {
  method: 'GET',
  path: '/reports/{month}/export',
  operationId: 'exportReports',
  summary: 'Every report of the month, for the credit bureau (operations)',
  description:
    'One row per commitment of every customer reported in the month, streamed as it is read (no length up front). ' +
    '`format` chooses CSV (RFC 4180, CRLF, a header row) or JSON Lines; without it, the first of `text/csv` or ' +
    '`application/x-ndjson` in `Accept` decides, and anything else gets CSV. A month whose run found nobody gives ' +
    'the header alone (CSV) or an empty body (JSON Lines); a month with no finished report run is 404. A failure ' +
    `while streaming cuts the connection: a body that does not end with a line end is incomplete. Requires \`${SCOPES.reportsAdmin}\`.`,
  scopes: [SCOPES.reportsAdmin],
  serve: readFunction('ExportReports'),
  parameters: [
    MONTH_PARAMETER,
    { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['csv', 'jsonl'] } },
    {
      name: 'audience',
      in: 'query',
      required: false,
      description:
        '`bureau`: only the commitments their customer opted in to the credit file (what a bureau may be given); ' +
        '`operations` (the default): every commitment, each with its `consent`.',
      schema: { type: 'string', enum: ['operations', 'bureau'], default: 'operations' },
    },
  ],
  answers: {
    200: {
      description: "The month's commitments.",
      headers: {
        'Content-Disposition': { schema: { type: 'string', examples: ['attachment; filename="reports-2026-10.csv"'] } },
      },
      content: {
        [EXPORT_CONTENT_TYPES.csv]: { schema: { type: 'string', description: `Header: ${EXPORT_COLUMNS.join(',')}` } },
        [EXPORT_CONTENT_TYPES.jsonl]: { schema: jsonLinesOf('ExportRow') },
      },
    },
  },
  problems: {
    400: {
      description: '`month`, `format` or `audience` is not valid; `errors` names it.',
      names: ['InvalidParameter'],
    },
    ...readProblems('report run', SCOPES.reportsAdmin),
  },
};

const LIST_COMMITMENTS: Route = {
  method: 'GET',
  path: '/commitments',
  operationId: 'listCommitments',
  summary: "The caller's commitments, with their corrections",
  description:
    "The commitments of the caller's latest report (each with its 24-month history), with the caller's merges and moves " +
    `applied, and those corrections (who, when, which app), oldest first. Requires \`${SCOPES.read}\`.`,
  scopes: [SCOPES.read],
  serve: readFunction('ListCommitments'),
  answers: { 200: { description: 'The commitments and corrections.', content: json('CommitmentList') } },
  problems: readProblems('commitments'),
};

const CORRECT_COMMITMENTS: Route = {
  method: 'POST',
  path: '/commitments/corrections',
  operationId: 'correctCommitments',
  summary: "Merge two of the caller's commitments, or move a payment to another (or a new) one",
  description:
    'Kept append-only and audited (who, when, which app). GET /commitments shows it at once; the report itself is rebuilt ' +
    'from `rebuildFrom` on by the next report run at the latest (the scheduled one on the 1st, or `npm run report`), as ' +
    `late payments are. Sending it again is refused with 409 (already done). Only a customer's own token (\`${SCOPES.write}\`).`,
  scopes: [SCOPES.write],
  serve: readFunction('CorrectCommitments', { schema: 'CorrectionRequest', maxBytes: MAX_BODY_BYTES }),
  answers: { 201: { description: 'Kept.', content: json('StoredCorrection') } },
  problems: {
    400: {
      description: 'The body is not JSON or not a correction; `errors` names each field.',
      names: ['InvalidJson', 'InvalidCorrection'],
    },
    ...readProblems('commitment or payment', SCOPES.write),
    403: {
      description: `The token lacks \`${SCOPES.write}\`, or is not a customer's own (an integration's or operations').`,
      names: ['MissingScope', 'Forbidden'],
    },
    409: {
      description:
        'The correction conflicts with the commitments: a merge into itself, of two currencies, of one already merged; a move into the commitment that holds it.',
      names: ['CorrectionConflict'],
    },
    413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes.`, names: ['PayloadTooLarge'] },
  },
};

// The disputes' routes (decisions/0018).
const disputeFunction = (name: string, body?: { schema: 'DisputeRequest' | 'ResolutionRequest'; maxBytes: number }) => {
  const definition = READ_API_FUNCTIONS.find((candidate) => candidate.name === name);
  if (!definition) throw new Error(`No function ${name} in contract/functions.ts`);
  return { kind: 'function' as const, function: definition, ...(body ? { body } : {}) };
};

const disputeJson = (name: 'Dispute' | 'DisputeList') => ({ [JSON_CONTENT_TYPE]: { schema: schemaRef(name) } });

const disputeProblems = (scope: Scope, what: string): Record<number, RouteProblems> => ({
  401: { description: 'No token, or a token that is not valid.', names: ['Unauthorized'] },
  403: { description: `The token lacks \`${scope}\`.`, names: ['MissingScope'] },
  404: { description: `No such ${what} of the caller's (none, or another user's).`, names: ['NotFound'] },
  429: { description: 'Throttled.', names: ['Throttled'] },
  500: { description: 'Unexpected failure. Retrying is safe.', names: ['InternalError'] },
  503: { description: 'The store is unavailable. Retry later.', names: ['DependencyUnavailable'] },
});

const DISPUTE_ID: RouteParameter = {
  name: 'id',
  in: 'path' as const,
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

const FILE_DISPUTE: Route = {
  method: 'POST',
  path: '/disputes',
  operationId: 'fileDispute',
  summary: 'Dispute a month of one of your commitments, or one payment',
  description:
    'Stored open and audited (who, when, which app). Until operations resolve it, the month is `disputed` (neither ' +
    'kept nor missed) and the commitment carries Metro 2 `XB`, from the next report run at the latest. ' +
    `Only a customer's own token (\`${SCOPES.write}\`).`,
  scopes: [SCOPES.write],
  serve: disputeFunction('FileDispute', { schema: 'DisputeRequest', maxBytes: MAX_BODY_BYTES }),
  answers: { 201: { description: 'Filed: the dispute, open.', content: disputeJson('Dispute') } },
  problems: {
    400: {
      description: 'Not JSON, or not a dispute; `errors` names each field.',
      names: ['InvalidJson', 'InvalidDispute'],
    },
    ...disputeProblems(SCOPES.write, 'commitment or payment'),
    403: {
      description: `The token lacks \`${SCOPES.write}\`, or is not a customer's own.`,
      names: ['MissingScope', 'Forbidden'],
    },
    409: { description: 'A dispute of this month (or payment) is already open.', names: ['DisputeConflict'] },
    413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes.`, names: ['PayloadTooLarge'] },
  },
};

const COMMITMENT_ID_PARAMETER: RouteParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'A commitment id as GET /commitments lists it, URL-encoded (`GBP%23puregym`).',
  schema: { type: 'string', examples: ['GBP#puregym'] },
};

const CONSENT_DESCRIPTION =
  'Opted in, the commitment goes onto the credit file from the next report run (the bureau export and the furnishing ' +
  'file carry only opted-in commitments); opted out, it stops from the next run, and months already furnished are ' +
  'not rewritten. A commitment never changed has the stage default (opted out unless the stage says otherwise).';

const GET_COMMITMENT_CONSENT: Route = {
  method: 'GET',
  path: '/commitments/{id}/consent',
  operationId: 'getCommitmentConsent',
  summary: "One of the caller's commitments: its consent to the credit file, and every change of it",
  description: `${CONSENT_DESCRIPTION} Requires \`${SCOPES.read}\`.`,
  scopes: [SCOPES.read],
  serve: readFunction('GetCommitmentConsent'),
  parameters: [COMMITMENT_ID_PARAMETER],
  answers: { 200: { description: 'The consent and its changes.', content: json('CommitmentConsent') } },
  problems: readProblems('commitment'),
};

const SET_COMMITMENT_CONSENT: Route = {
  method: 'PUT',
  path: '/commitments/{id}/consent',
  operationId: 'setCommitmentConsent',
  summary: "Opt one of the caller's commitments in to the credit file, or out",
  description:
    `${CONSENT_DESCRIPTION} Each change is kept append-only (who, when, which app, from, to); the same choice again ` +
    `keeps nothing and answers the state as it is. Only a customer's own token (\`${SCOPES.write}\`).`,
  scopes: [SCOPES.write],
  serve: readFunction('SetCommitmentConsent', { schema: 'ConsentRequest', maxBytes: MAX_BODY_BYTES }),
  parameters: [COMMITMENT_ID_PARAMETER],
  answers: { 200: { description: 'The consent now and its changes.', content: json('CommitmentConsent') } },
  problems: {
    400: {
      description: 'The body is not JSON or not `{"report": true|false}`; `errors` names each field.',
      names: ['InvalidJson', 'InvalidConsent'],
    },
    ...readProblems('commitment', SCOPES.write),
    403: {
      description: `The token lacks \`${SCOPES.write}\`, or is not a customer's own (an integration's or operations').`,
      names: ['MissingScope', 'Forbidden'],
    },
    413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes.`, names: ['PayloadTooLarge'] },
  },
};

const SET_COMMITMENT_KIND: Route = {
  method: 'PUT',
  path: '/commitments/{id}/kind',
  operationId: 'setCommitmentKind',
  summary: "Say what one of the caller's commitments is (rent, utility, telecom, …) when no integration named it",
  description:
    "The kind decides the commitment's Metro 2 Account Type (rent 29, utility 92, telecom 4D); a commitment of " +
    "unknown kind, or of a kind with no type, is not furnished. The integration's `payee.kind` wins, else the " +
    "customer's latest choice, from the next report run on (decision 0024). Each choice is kept append-only (who, " +
    "when, which app); the same kind again keeps nothing and answers the kind as it is. Only a customer's own " +
    `token (\`${SCOPES.write}\`).`,
  scopes: [SCOPES.write],
  serve: readFunction('SetCommitmentKind', { schema: 'KindRequest', maxBytes: MAX_BODY_BYTES }),
  parameters: [COMMITMENT_ID_PARAMETER],
  answers: { 200: { description: 'The kind now, and where it comes from.', content: json('CommitmentKind') } },
  problems: {
    400: {
      description: 'The body is not JSON or not `{"kind": <a payee kind>}`; `errors` names each field.',
      names: ['InvalidJson', 'InvalidKind'],
    },
    ...readProblems('commitment', SCOPES.write),
    403: {
      description: `The token lacks \`${SCOPES.write}\`, or is not a customer's own (an integration's or operations').`,
      names: ['MissingScope', 'Forbidden'],
    },
    409: {
      description: "An integration names this commitment's kind: it wins, and the choice is not kept.",
      names: ['KindSetByIntegration'],
    },
    413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes.`, names: ['PayloadTooLarge'] },
  },
};

const LIST_DISPUTES: Route = {
  method: 'GET',
  path: '/disputes',
  operationId: 'listDisputes',
  summary: 'Your disputes; with disputes-admin, every open dispute oldest first',
  description:
    `The caller's own disputes with state and outcome, oldest first (\`${SCOPES.read}\`). With ` +
    `\`${SCOPES.disputesAdmin}\` (operations): every customer's, \`state=open\` by default, each open one with its age in days.`,
  scopes: [SCOPES.read],
  wideningScopes: [SCOPES.disputesAdmin],
  serve: disputeFunction('ListDisputes'),
  parameters: [
    {
      name: 'state',
      in: 'query',
      required: false,
      schema: { type: 'string', enum: ['open', 'verified', 'corrected', 'deleted'] },
    },
  ],
  answers: { 200: { description: 'The disputes.', content: disputeJson('DisputeList') } },
  problems: {
    400: { description: '`state` is not valid.', names: ['InvalidParameter'] },
    ...disputeProblems(SCOPES.read, 'disputes'),
  },
};

const GET_DISPUTE: Route = {
  method: 'GET',
  path: '/disputes/{id}',
  operationId: 'getDispute',
  summary: 'One of your disputes, with its state and outcome',
  description: `Another customer's answers 404, as an unknown id does (\`${SCOPES.read}\`; any with \`${SCOPES.disputesAdmin}\`).`,
  scopes: [SCOPES.read],
  wideningScopes: [SCOPES.disputesAdmin],
  serve: disputeFunction('GetDispute'),
  parameters: [DISPUTE_ID],
  answers: { 200: { description: 'The dispute.', content: disputeJson('Dispute') } },
  problems: disputeProblems(SCOPES.read, 'dispute'),
};

const RESOLVE_DISPUTE: Route = {
  method: 'POST',
  path: '/disputes/{id}/resolution',
  operationId: 'resolveDispute',
  summary: 'Resolve an open dispute (operations)',
  description:
    '`verified`, `corrected` or `deleted`, with a note; audited (who, when, which client) and final: no reopen. The ' +
    "next report run at the latest rebuilds the customer's months from the disputed one. " +
    `Requires \`${SCOPES.disputesAdmin}\` (the operations client only).`,
  scopes: [SCOPES.disputesAdmin],
  serve: disputeFunction('ResolveDispute', { schema: 'ResolutionRequest', maxBytes: MAX_BODY_BYTES }),
  parameters: [DISPUTE_ID],
  answers: { 200: { description: 'Resolved: the dispute with its resolution.', content: disputeJson('Dispute') } },
  problems: {
    400: {
      description: 'Not JSON, or not a resolution; `errors` names each field.',
      names: ['InvalidJson', 'InvalidDispute'],
    },
    ...disputeProblems(SCOPES.disputesAdmin, 'dispute'),
    409: { description: 'Already resolved: a resolution is final.', names: ['DisputeConflict'] },
    413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes.`, names: ['PayloadTooLarge'] },
  },
};

const DISPUTE_ROUTES: readonly Route[] = [FILE_DISPUTE, LIST_DISPUTES, GET_DISPUTE, RESOLVE_DISPUTE];

// The identity routes (decisions/0020): written by integrations, read by the customer, erased by operations.
const CUSTOMER_USER_ID: RouteParameter = {
  name: 'userId',
  in: 'path',
  required: true,
  description: "The customer's user id (their token's `sub`).",
  schema: { type: 'string', format: 'uuid' },
};

const IDENTITY_PURPOSE =
  "A customer's identity (name, date of birth, address; in the US an SSN) is what a credit bureau matches the " +
  'furnished commitments to: kept in its own encrypted table, read only by the customer and the furnishing step, ' +
  'never logged. The SSN is never answered in full.';

const PUT_CUSTOMER_IDENTITY: Route = {
  method: 'PUT',
  path: '/customers/{userId}/identity',
  operationId: 'putCustomerIdentity',
  summary: "Write a customer's identity for the credit file (trusted integrations)",
  description:
    `${IDENTITY_PURPOSE} Requires \`${SCOPES.customersWrite}\`, and a user the caller may submit for ` +
    `(\`${SCOPES.submitOnBehalf}\`); the integration that first wrote an identity is the only one that may replace ` +
    'it. After an erasure, a new identity is taken only once the deletion has been furnished (409 before).',
  scopes: [SCOPES.customersWrite],
  serve: readFunction('PutCustomerIdentity', { schema: 'IdentityRequest', maxBytes: MAX_BODY_BYTES }),
  parameters: [CUSTOMER_USER_ID],
  answers: {
    201: { description: 'Stored: the customer had no identity.', content: json('StoredIdentity') },
    200: { description: "Replaced: the customer's identity as now stored.", content: json('StoredIdentity') },
  },
  problems: {
    400: {
      description: 'The body is not JSON or not an identity, or `userId` is not a UUID; `errors` names each field.',
      names: ['InvalidJson', 'InvalidIdentity', 'InvalidParameter'],
    },
    ...readProblems('customer', SCOPES.customersWrite),
    403: {
      description:
        `The token lacks \`${SCOPES.customersWrite}\`, may not submit for this user (no \`${SCOPES.submitOnBehalf}\`), ` +
        "or the customer's identity was written by another integration.",
      names: ['MissingScope', 'Forbidden'],
    },
    409: {
      description: "The customer's erasure is not furnished yet, or the identity changed meanwhile (send it again).",
      names: ['IdentityConflict'],
    },
    413: { description: `The body is larger than ${MAX_BODY_BYTES} bytes.`, names: ['PayloadTooLarge'] },
  },
};

const GET_OWN_IDENTITY: Route = {
  method: 'GET',
  path: '/customers/me/identity',
  operationId: 'getOwnIdentity',
  summary: 'Your identity, as kept for the credit file',
  description: `${IDENTITY_PURPOSE} Only a customer's own token (\`${SCOPES.read}\`).`,
  scopes: [SCOPES.read],
  serve: readFunction('GetCustomerIdentity'),
  answers: { 200: { description: 'The identity, its SSN masked.', content: json('StoredIdentity') } },
  problems: {
    ...readProblems('identity'),
    403: {
      description: `The token lacks \`${SCOPES.read}\`, or is not a customer's own (an integration's or operations').`,
      names: ['MissingScope', 'Forbidden'],
    },
  },
};

const ERASE_CUSTOMER_IDENTITY: Route = {
  method: 'DELETE',
  path: '/customers/{userId}/identity',
  operationId: 'eraseCustomerIdentity',
  summary: "Erase a customer's identity (operations)",
  description:
    'The identity is replaced by a marker that keeps no personal data; the next furnishing file reports the ' +
    "customer's commitments as deleted (Metro 2 `DA`) once, and no file names them after that. Erasing again " +
    `answers 204 too. Requires \`${SCOPES.customersErase}\` (the operations client only).`,
  scopes: [SCOPES.customersErase],
  serve: readFunction('EraseCustomerIdentity'),
  parameters: [CUSTOMER_USER_ID],
  answers: { 204: { description: 'Erased (or already erased).' } },
  problems: {
    400: { description: '`userId` is not a UUID.', names: ['InvalidParameter'] },
    ...readProblems('customer identity', SCOPES.customersErase),
    404: { description: 'No identity was ever kept for this customer.', names: ['NotFound'] },
    409: { description: 'The identity changed meanwhile: send the request again.', names: ['IdentityConflict'] },
  },
};

const IDENTITY_ROUTES: readonly Route[] = [PUT_CUSTOMER_IDENTITY, GET_OWN_IDENTITY, ERASE_CUSTOMER_IDENTITY];

/** Every route of the API, in the order the deployed API creates its methods. */
export const ROUTES: readonly Route[] = [
  SUBMIT_PAYMENT,
  SUBMIT_PAYMENT_BATCH,
  LIST_PAYMENTS,
  GET_PAYMENT,
  REVERSE_PAYMENT,
  GET_REPORT,
  GET_REPORT_SUMMARY,
  EXPORT_REPORTS,
  LIST_COMMITMENTS,
  CORRECT_COMMITMENTS,
  ...DISPUTE_ROUTES,
  GET_COMMITMENT_CONSENT,
  SET_COMMITMENT_CONSENT,
  ...IDENTITY_ROUTES,
  SET_COMMITMENT_KIND,
];

/** What serves the routes of one kind, each once, in route order. */
const servingOf = <Served>(
  routes: readonly Route[],
  served: (serve: Route['serve']) => Served | undefined,
): Served[] => [...new Set(routes.flatMap((route) => served(route.serve) ?? []))];

/** The Lambda functions behind the routes' proxy integrations. */
export const functionsServing = (routes: readonly Route[]): FunctionDefinition[] =>
  servingOf(routes, (serve) => (serve.kind === 'function' ? serve.function : undefined));

/** The workflows the routes start synchronously. */
export const workflowsServing = (routes: readonly Route[]): WorkflowDefinition<'EXPRESS'>[] =>
  servingOf(routes, (serve) => (serve.kind === 'sync-workflow' ? serve.workflow : undefined));
