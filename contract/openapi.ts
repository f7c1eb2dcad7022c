import { PAYMENT_SCHEMA } from '#domain/payment-schema';
import { REQUEST_ID_HEADER } from '#contract/http-mapping';
import { MAX_BODY_BYTES } from '#contract/workflow-io';
import { PROBLEMS, PROBLEM_CONTENT_TYPE, PROBLEM_NAMES, PROBLEM_TYPE_BASE, problemType } from '#contract/problems';
import { SCOPES } from '#contract/scopes';
import { EXPORT_COLUMNS, type ExportRow } from '#domain/report-export';
import { EXPORT_CONTENT_TYPES } from '#contract/export-negotiation';

/**
 * The OpenAPI 3.1 document of the API, built from the one payment JSON Schema.
 * `npm run docs:openapi` writes it to docs/openapi.yaml; a test keeps the file in step.
 */
const PROBLEM_LIST = PROBLEM_NAMES.map((name) => `${PROBLEMS[name].slug} (${PROBLEMS[name].status})`).join(', ');

const problemSchema = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status', 'requestId'],
  properties: {
    type: {
      type: 'string',
      format: 'uri',
      description: `${PROBLEM_TYPE_BASE} followed by one of: ${PROBLEM_LIST}.`,
      examples: [problemType('InvalidPayment')],
    },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    requestId: { type: 'string', description: 'The request id, also in the X-Request-Id header.' },
    errors: {
      type: 'array',
      description: `One entry per invalid body field (${PROBLEMS.InvalidPayment.slug}) or parameter (${PROBLEMS.InvalidParameter.slug}).`,
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', description: 'The body field, e.g. `amount`.' },
          message: { type: 'string' },
        },
      },
    },
  },
};

const storedPaymentSchema = {
  type: 'object',
  description: 'The payment as stored: normalised (UTC timestamp, exact amount with the currency\'s minor-unit digits).',
  required: ['id', 'userId', 'timestamp', 'description', 'currency', 'amount', 'receivedAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    userId: { type: 'string', format: 'uuid' },
    timestamp: { type: 'string', format: 'date-time', examples: ['2026-10-05T09:30:00.000Z'] },
    description: { type: 'string' },
    currency: { type: 'string', examples: ['GBP'] },
    amount: { type: 'string', examples: ['9.99'] },
    receivedAt: { type: 'string', format: 'date-time' },
  },
};

const monthlyReportSchema = {
  type: 'object',
  description: 'A customer\'s commitments kept in one month, as they go onto the credit file.',
  required: ['userId', 'month', 'payments', 'builtAt', 'commitments'],
  properties: {
    userId: { type: 'string', format: 'uuid' },
    month: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', examples: ['2026-10'] },
    payments: { type: 'integer', description: 'Payments of the month the report counts.' },
    builtAt: { type: 'string', format: 'date-time', description: 'When this version of the report was built: a payment that arrives after its month was reported rebuilds it.' },
    commitments: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'description', 'currency', 'amount', 'paidOn', 'streak', 'clientIds', 'selfReported', 'payments'],
        properties: {
          key: { type: 'string', description: 'Currency and normalised description.', examples: ['GBP#netflix'] },
          description: { type: 'string' },
          currency: { type: 'string' },
          amount: { type: 'string', description: 'The month\'s payments to this payee, summed exactly.', examples: ['9.99'] },
          paidOn: { type: 'string', format: 'date', description: 'UTC date of the month\'s latest payment to this payee.' },
          streak: { type: 'integer', minimum: 1, description: 'Consecutive months, this one included, the commitment was paid.' },
          clientIds: { type: 'array', items: { type: 'string' }, description: 'The distinct client ids that submitted its payments, sorted.' },
          selfReported: { type: 'boolean', description: 'True when any of its payments was submitted with the user\'s own token rather than by an integration on their behalf.' },
          payments: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'timestamp', 'amount', 'clientId', 'onBehalf'],
              properties: {
                id: { type: 'string', format: 'uuid' },
                timestamp: { type: 'string', format: 'date-time' },
                amount: { type: 'string' },
                clientId: { type: 'string', description: 'The client id of the app that submitted it.' },
                onBehalf: { type: 'boolean', description: 'True when a trusted integration submitted it for the user.' },
              },
            },
          },
        },
      },
    },
  },
};

const runSummarySchema = {
  type: 'object',
  description: 'What the latest run of a month did.',
  required: ['month', 'users', 'reported', 'payments', 'commitments', 'failedUsers', 'failures', 'late', 'failedShards', 'startedAt', 'finishedAt', 'executionName'],
  properties: {
    month: { type: 'string', examples: ['2026-10'] },
    users: { type: 'integer', description: 'Users with payments in the month, failed ones included.' },
    reported: { type: 'integer', description: 'Users whose report was written.' },
    payments: { type: 'integer' },
    commitments: { type: 'integer' },
    failedUsers: { type: 'integer', description: 'Users whose report failed (all of them; `failures` names at most 20 per shard).' },
    failures: {
      type: 'array',
      items: { type: 'object', required: ['userId', 'error'], properties: { userId: { type: 'string', format: 'uuid' }, error: { type: 'string' } } },
    },
    late: {
      type: 'object',
      description: 'What the run rebuilt because payments arrived after their month had been reported.',
      required: ['payments', 'users', 'reports', 'failedUsers'],
      properties: { payments: { type: 'integer' }, users: { type: 'integer' }, reports: { type: 'integer' }, failedUsers: { type: 'integer' } },
    },
    failedShards: {
      type: 'array',
      description: 'Shards of the month that did not finish (their remaining users were not reported); empty in a healthy run.',
      items: { type: 'object', required: ['shard', 'error'], properties: { shard: { type: 'integer' }, error: { type: 'string' } } },
    },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    executionName: { type: 'string' },
  },
};

const problem = (description: string, headers: Record<string, unknown> = {}) => ({
  description,
  headers: { [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' }, ...headers },
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

const READ_PROBLEMS = (what: string, scope: string = SCOPES.read): Record<string, unknown> => ({
  '401': problem('No token, or a token that is not valid.', { 'WWW-Authenticate': { schema: { type: 'string' } } }),
  '403': problem(`The token lacks \`${scope}\` (type ${PROBLEMS.MissingScope.slug}).`),
  '404': problem(`No such ${what} of the caller's (none, or another user's).`),
  '500': problem('Unexpected failure. Retrying is safe.'),
  '503': problem('The store is unavailable. Retry later.', retryAfter),
});

/** One exported commitment; the CSV header names the same columns in the same order. */
const EXPORT_ROW_PROPERTIES: Record<keyof ExportRow, Record<string, unknown>> = {
  userId: { type: 'string', format: 'uuid' },
  month: { type: 'string', examples: ['2026-10'] },
  commitmentKey: { type: 'string', description: 'The payee\'s stable id across months: currency and normalised description.', examples: ['GBP#netflix'] },
  payee: { type: 'string', description: 'The description of the customer\'s latest payment to this payee in the month. In CSV, a value starting with = + - @ tab or CR is prefixed with an apostrophe.' },
  currency: { type: 'string', examples: ['GBP'] },
  amount: { type: 'string', description: 'Paid to this payee in the month: exact decimal text with the currency\'s minor-unit digits.', examples: ['9.99'] },
  paymentCount: { type: 'integer', minimum: 1 },
  lastPaidOn: { type: 'string', format: 'date', description: 'UTC date of the latest payment to this payee in the month.' },
  streakMonths: { type: 'integer', minimum: 1, description: 'Consecutive months, this one included, in which this commitment was paid.' },
  paymentIds: { type: 'string', description: 'The payments behind the amount, space-separated.' },
  clientIds: { type: 'string', description: 'The distinct client ids that submitted those payments, space-separated (sorted).' },
  selfReported: { type: 'boolean', description: 'true when any of the row\'s payments was submitted with the user\'s own token rather than by an integration on their behalf (CSV: true or false).' },
};

const exportRowSchema = {
  type: 'object',
  description: 'One commitment of one customer in the month: a JSON Lines line, or a CSV row with these columns in this order.',
  required: [...EXPORT_COLUMNS],
  properties: EXPORT_ROW_PROPERTIES,
};

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };

export const buildOpenApiDocument = (): Record<string, unknown> => {
  const { $id: _id, $schema: _schema, ...paymentSubmission } = PAYMENT_SCHEMA as Record<string, unknown>;
  const submitPaymentPath = {
        post: {
          operationId: 'submitPayment',
          summary: 'Submit one recurring payment',
          description:
            `Runs the submit-payment workflow. The caller may submit only for its own user id (token \`sub\`), ` +
            `unless its token holds \`${SCOPES.submitOnBehalf}\`. Requires \`${SCOPES.write}\`. ` +
            `Bodies over ${MAX_BODY_BYTES} bytes are refused.`,
          security: [{ cognito: [SCOPES.write] }, { cognito: [SCOPES.write, SCOPES.submitOnBehalf] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/PaymentSubmission' } } },
          },
          responses: {
            '201': {
              description: 'Stored. The body is the stored payment.',
              headers: {
                Location: { description: 'The payment\'s URL.', schema: { type: 'string' } },
                [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' },
              },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/StoredPayment' } } },
            },
            '200': {
              description: 'The same submission again (same id, same content): the first answer, replayed. Nothing new is written.',
              headers: {
                'Idempotent-Replayed': { description: 'Always `true`.', schema: { type: 'string', const: 'true' } },
                Location: { description: 'The payment\'s URL.', schema: { type: 'string' } },
                [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' },
              },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/StoredPayment' } } },
            },
            '400': problem('The body is not valid JSON or breaks the schema; `errors` names each field.'),
            '401': problem('No token, bad signature, expired, wrong issuer, wrong token use or unknown client.', {
              'WWW-Authenticate': { schema: { type: 'string' } },
            }),
            '403': problem('The token is valid but may not submit this payment (another user, missing scope).'),
            '409': problem(
              'The payment id already exists with different content (type payment-conflict), or another submission of it is still in progress (type submission-in-progress, with Retry-After: the same request may be sent again).',
              retryAfter,
            ),
            '413': problem(`The body is larger than ${MAX_BODY_BYTES} bytes.`),
            '415': problem('The body is not `application/json`.'),
            '429': problem('Throttled.', retryAfter),
            '500': problem('Unexpected failure; nothing was stored. Retrying the same request is safe.'),
            '503': problem('A dependency is unavailable; nothing was stored. Retry the same request later.', retryAfter),
          },
        },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Payments Tracker API',
      version: '1.0.0',
      description:
        'Client apps submit monthly recurring payments (rent, a gym, Netflix) that build the customer\'s credit score. ' +
        'Every 2xx means the payment is durably stored; nothing is stored on any 4xx or 5xx.',
    },
    servers: [{ url: 'http://localhost:3000', description: 'Local stack (npm start)' }],
    security: [{ cognito: [SCOPES.write] }],
    paths: {
      '/payments': {
        ...submitPaymentPath,
        get: {
          operationId: 'listPayments',
          summary: 'The caller\'s payments of a month',
          description:
            `The caller's own payments of the month in time order, a page at a time: pass \`nextCursor\` back as \`cursor\` ` +
            `for the next page; it is absent on the last. Requires \`${SCOPES.read}\`.`,
          security: [{ cognito: [SCOPES.read] }],
          parameters: [
            { name: 'month', in: 'query', required: true, schema: { type: 'string', examples: ['2026-10'] } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
            { name: 'cursor', in: 'query', required: false, description: 'Opaque: a previous page\'s `nextCursor`.', schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description: 'One page of payments.',
              headers: { [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' } },
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['month', 'payments'],
                    properties: {
                      month: { type: 'string' },
                      payments: { type: 'array', items: { $ref: '#/components/schemas/StoredPayment' } },
                      nextCursor: { type: 'string' },
                    },
                  },
                },
              },
            },
            '400': problem('`month`, `limit` or `cursor` is not valid; `errors` names it.'),
            ...READ_PROBLEMS('payments'),
          },
        },
      },
      '/payments/{id}': {
        get: {
          operationId: 'getPayment',
          summary: 'One of the caller\'s payments',
          description: `The payment as stored. Another user's payment answers 404, as an unknown id does. Requires \`${SCOPES.read}\`.`,
          security: [{ cognito: [SCOPES.read] }],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: {
            '200': {
              description: 'The stored payment.',
              headers: { [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/StoredPayment' } } },
            },
            ...READ_PROBLEMS('payment'),
          },
        },
      },
      '/reports/{month}': {
        get: {
          operationId: 'getReport',
          summary: 'The caller\'s monthly report',
          description: `The report the monthly run built for the caller and month. Requires \`${SCOPES.read}\`.`,
          security: [{ cognito: [SCOPES.read] }],
          parameters: [{ name: 'month', in: 'path', required: true, schema: { type: 'string', examples: ['2026-10'] } }],
          responses: {
            '200': {
              description: 'The report.',
              headers: { [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/MonthlyReport' } } },
            },
            ...READ_PROBLEMS('report'),
          },
        },
      },
      '/reports/{month}/summary': {
        get: {
          operationId: 'getReportSummary',
          summary: 'The month\'s report run summary (operations)',
          description: `The latest run's totals and the users whose report failed. Requires \`${SCOPES.reportsAdmin}\`.`,
          security: [{ cognito: [SCOPES.reportsAdmin] }],
          parameters: [{ name: 'month', in: 'path', required: true, schema: { type: 'string', examples: ['2026-10'] } }],
          responses: {
            '200': {
              description: 'The run summary.',
              headers: { [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/RunSummary' } } },
            },
            ...READ_PROBLEMS('report run', SCOPES.reportsAdmin),
          },
        },
      },
      '/reports/{month}/export': {
        get: {
          operationId: 'exportReports',
          summary: 'Every report of the month, for the credit bureau (operations)',
          description:
            'One row per commitment of every customer reported in the month, streamed as it is read (no length up front). ' +
            '`format` chooses CSV (RFC 4180, CRLF, a header row) or JSON Lines; without it, the first of `text/csv` or ' +
            '`application/x-ndjson` in `Accept` decides, and anything else gets CSV. A month whose run found nobody gives ' +
            'the header alone (CSV) or an empty body (JSON Lines); a month with no finished report run is 404. A failure ' +
            `while streaming cuts the connection: a body that does not end with a line end is incomplete. Requires \`${SCOPES.reportsAdmin}\`.`,
          security: [{ cognito: [SCOPES.reportsAdmin] }],
          parameters: [
            { name: 'month', in: 'path', required: true, schema: { type: 'string', examples: ['2026-10'] } },
            { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['csv', 'jsonl'] } },
          ],
          responses: {
            '200': {
              description: 'The month\'s commitments.',
              headers: {
                [REQUEST_ID_HEADER]: { $ref: '#/components/headers/RequestId' },
                'Content-Disposition': { schema: { type: 'string', examples: ['attachment; filename="reports-2026-10.csv"'] } },
              },
              content: {
                [EXPORT_CONTENT_TYPES.csv]: { schema: { type: 'string', description: `Header: ${EXPORT_COLUMNS.join(',')}` } },
                [EXPORT_CONTENT_TYPES.jsonl]: { schema: { $ref: '#/components/schemas/ExportRow' } },
              },
            },
            '400': problem('`month` or `format` is not valid; `errors` names it.'),
            ...READ_PROBLEMS('report run', SCOPES.reportsAdmin),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        cognito: {
          type: 'oauth2',
          description: 'Cognito access tokens. The hosted UI domain below is an example: the deployed stack prints its own (output HostedUiDomain). Locally: `npm run token -- --user <uuid>`.',
          flows: {
            authorizationCode: {
              authorizationUrl: 'https://payments-tracker.auth.eu-west-2.amazoncognito.com/oauth2/authorize',
              tokenUrl: 'https://payments-tracker.auth.eu-west-2.amazoncognito.com/oauth2/token',
              scopes: {
                [SCOPES.read]: 'Read own payments and reports',
                [SCOPES.write]: 'Submit payments',
              },
            },
            clientCredentials: {
              tokenUrl: 'https://payments-tracker.auth.eu-west-2.amazoncognito.com/oauth2/token',
              scopes: {
                [SCOPES.write]: 'Submit payments',
                [SCOPES.submitOnBehalf]: 'Submit payments for any user (trusted integrations)',
                [SCOPES.reportsAdmin]: 'Read report run summaries and export the month\'s reports (operations)',
              },
            },
          },
        },
      },
      headers: {
        RequestId: { description: 'The request id; quote it to support.', schema: { type: 'string' } },
      },
      schemas: {
        PaymentSubmission: paymentSubmission,
        StoredPayment: storedPaymentSchema,
        MonthlyReport: monthlyReportSchema,
        RunSummary: runSummarySchema,
        ExportRow: exportRowSchema,
        Problem: problemSchema,
      },
    },
  };
};
