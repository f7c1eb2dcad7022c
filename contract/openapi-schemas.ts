import { PAYMENT_SCHEMA } from '#domain/payment-schema';
import { BATCH_FIELD, MAX_BATCH_PAYMENTS } from '#domain/batch';
import { PROBLEMS, PROBLEM_NAMES, PROBLEM_TYPE_BASE, problemType } from '#contract/problems';
import { EXPORT_COLUMNS, type ExportRow } from '#domain/report-export';

/**
 * The schemas the OpenAPI document publishes under components/schemas: the request body (the one
 * payment JSON Schema) and each answer. The route catalogue (contract/routes.ts) refers to them by
 * name; the workflow and e2e tests validate the real answers against them (test/support/openapi-answers.ts),
 * so an answer that drifts from its schema fails a test.
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
  description: "The payment as stored: normalised (UTC timestamp, exact amount with the currency's minor-unit digits).",
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
  description: "A customer's commitments kept in one month, as they go onto the credit file.",
  required: ['userId', 'month', 'payments', 'builtAt', 'commitments'],
  properties: {
    userId: { type: 'string', format: 'uuid' },
    month: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', examples: ['2026-10'] },
    payments: { type: 'integer', description: 'Payments of the month the report counts.' },
    builtAt: {
      type: 'string',
      format: 'date-time',
      description:
        'When this version of the report was built: a payment that arrives after its month was reported rebuilds it.',
    },
    commitments: {
      type: 'array',
      items: {
        type: 'object',
        required: [
          'key',
          'description',
          'currency',
          'amount',
          'paidOn',
          'streak',
          'clientIds',
          'selfReported',
          'payments',
        ],
        properties: {
          key: { type: 'string', description: 'Currency and normalised description.', examples: ['GBP#netflix'] },
          description: { type: 'string' },
          currency: { type: 'string' },
          amount: {
            type: 'string',
            description: "The month's payments to this payee, summed exactly.",
            examples: ['9.99'],
          },
          paidOn: {
            type: 'string',
            format: 'date',
            description: "UTC date of the month's latest payment to this payee.",
          },
          streak: {
            type: 'integer',
            minimum: 1,
            description: 'Consecutive months, this one included, the commitment was paid.',
          },
          clientIds: {
            type: 'array',
            items: { type: 'string' },
            description: 'The distinct client ids that submitted its payments, sorted.',
          },
          selfReported: {
            type: 'boolean',
            description:
              "True when any of its payments was submitted with the user's own token rather than by an integration on their behalf.",
          },
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
                onBehalf: {
                  type: 'boolean',
                  description: 'True when a trusted integration submitted it for the user.',
                },
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
  required: [
    'month',
    'users',
    'reported',
    'payments',
    'commitments',
    'failedUsers',
    'failures',
    'late',
    'failedShards',
    'startedAt',
    'finishedAt',
    'executionName',
  ],
  properties: {
    month: { type: 'string', examples: ['2026-10'] },
    users: { type: 'integer', description: 'Users with payments in the month, failed ones included.' },
    reported: { type: 'integer', description: 'Users whose report was written.' },
    payments: { type: 'integer' },
    commitments: { type: 'integer' },
    failedUsers: {
      type: 'integer',
      description: 'Users whose report failed (all of them; `failures` names at most 20 per shard).',
    },
    failures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['userId', 'error'],
        properties: { userId: { type: 'string', format: 'uuid' }, error: { type: 'string' } },
      },
    },
    late: {
      type: 'object',
      description: 'What the run rebuilt because payments arrived after their month had been reported.',
      required: ['payments', 'users', 'reports', 'failedUsers'],
      properties: {
        payments: { type: 'integer' },
        users: { type: 'integer' },
        reports: { type: 'integer' },
        failedUsers: { type: 'integer' },
      },
    },
    failedShards: {
      type: 'array',
      description:
        'Shards of the month that did not finish (their remaining users were not reported); empty in a healthy run.',
      items: {
        type: 'object',
        required: ['shard', 'error'],
        properties: { shard: { type: 'integer' }, error: { type: 'string' } },
      },
    },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    executionName: { type: 'string' },
    lastChangedBy: {
      type: 'string',
      description:
        'The execution of a later run that last changed a report of the month (a late arrival): the counts above include its change. Absent until one does.',
    },
    lastChangedAt: {
      type: 'string',
      format: 'date-time',
      description: 'When that later run built the report it changed.',
    },
  },
};

/** One exported commitment; the CSV header names the same columns in the same order. */
const EXPORT_ROW_PROPERTIES: Record<keyof ExportRow, Record<string, unknown>> = {
  userId: { type: 'string', format: 'uuid' },
  month: { type: 'string', examples: ['2026-10'] },
  commitmentKey: {
    type: 'string',
    description: "The payee's stable id across months: currency and normalised description.",
    examples: ['GBP#netflix'],
  },
  payee: {
    type: 'string',
    description:
      "The description of the customer's latest payment to this payee in the month. In CSV, a value starting with = + - @ tab or CR is prefixed with an apostrophe.",
  },
  currency: { type: 'string', examples: ['GBP'] },
  amount: {
    type: 'string',
    description: "Paid to this payee in the month: exact decimal text with the currency's minor-unit digits.",
    examples: ['9.99'],
  },
  paymentCount: { type: 'integer', minimum: 1 },
  lastPaidOn: {
    type: 'string',
    format: 'date',
    description: 'UTC date of the latest payment to this payee in the month.',
  },
  streakMonths: {
    type: 'integer',
    minimum: 1,
    description: 'Consecutive months, this one included, in which this commitment was paid.',
  },
  paymentIds: { type: 'string', description: 'The payments behind the amount, space-separated.' },
  clientIds: {
    type: 'string',
    description: 'The distinct client ids that submitted those payments, space-separated (sorted).',
  },
  selfReported: {
    type: 'boolean',
    description:
      "true when any of the row's payments was submitted with the user's own token rather than by an integration on their behalf (CSV: true or false).",
  },
};

const exportRowSchema = {
  type: 'object',
  description:
    'One commitment of one customer in the month: a JSON Lines line, or a CSV row with these columns in this order.',
  required: [...EXPORT_COLUMNS],
  properties: EXPORT_ROW_PROPERTIES,
};

const { $id: _id, $schema: _schema, ...paymentSubmissionSchema } = PAYMENT_SCHEMA as Record<string, unknown>;

const paymentBatchSchema = {
  type: 'object',
  description: `1 to ${MAX_BATCH_PAYMENTS} payments, each exactly the body of POST /payments (each is validated as that body is).`,
  required: [BATCH_FIELD],
  additionalProperties: false,
  properties: {
    [BATCH_FIELD]: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH_PAYMENTS,
      items: { $ref: '#/components/schemas/PaymentSubmission' },
    },
  },
};

const batchResultsSchema = {
  type: 'object',
  description: 'One result per payment of the batch, in order, and how many payments got each status.',
  required: ['results', 'counts'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'status'],
        properties: {
          index: { type: 'integer', minimum: 0, description: "The payment's position in the batch." },
          id: {
            type: 'string',
            description:
              "The stored payment's id; for a refused payment, its `id` as written, when it had a string one.",
          },
          status: {
            type: 'integer',
            enum: [201, 200, 400, 403, 409, 500, 503],
            description:
              'What POST /payments would have answered for this payment alone: 201 stored now, 200 stored before (replayed), or the status of its problem.',
          },
          payment: { $ref: '#/components/schemas/StoredPayment' },
          problem: { $ref: '#/components/schemas/Problem' },
          retryAfter: {
            type: 'integer',
            description:
              'Seconds after which this payment may be sent again, unchanged (503, or 409 submission-in-progress).',
          },
        },
      },
    },
    counts: {
      type: 'object',
      description: 'Payments by status, e.g. `{"201": 98, "409": 2}`.',
      additionalProperties: { type: 'integer', minimum: 1 },
    },
  },
};

export const OPENAPI_SCHEMAS = {
  PaymentSubmission: paymentSubmissionSchema,
  PaymentBatch: paymentBatchSchema,
  BatchResults: batchResultsSchema,
  StoredPayment: storedPaymentSchema,
  MonthlyReport: monthlyReportSchema,
  RunSummary: runSummarySchema,
  ExportRow: exportRowSchema,
  Problem: problemSchema,
} as const;

export type SchemaName = keyof typeof OPENAPI_SCHEMAS;

/** A reference to one of the published schemas, as an OpenAPI document writes it. */
export const schemaRef = (name: SchemaName): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
