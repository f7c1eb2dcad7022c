import {
  DISPUTED_COMMITMENT_PROPERTIES,
  DISPUTE_LIST_SCHEMA,
  DISPUTE_REQUEST_SCHEMA,
  DISPUTE_SCHEMA,
  RESOLUTION_REQUEST_SCHEMA,
} from '#contract/dispute-schemas';
import {
  PAYMENT_REVERSAL_SCHEMA,
  REVERSAL_MARK_SCHEMA,
  REVERSAL_REQUEST_SCHEMA,
  reversedCommitmentProperties,
} from '#contract/reversal-schemas';
import { CONSENT_REQUEST_SCHEMA } from '#domain/commitment-consent';
import { IDENTITY_REQUEST_SCHEMA } from '#domain/identity-schema';
import { KIND_REQUEST_SCHEMA } from '#domain/commitment-kind';
import { PAYMENT_SCHEMA } from '#domain/payment-schema';
import { CORRECTION_REQUEST_SCHEMA } from '#domain/commitment-correction';
import { BATCH_FIELD, MAX_BATCH_PAYMENTS } from '#domain/batch';
import { PROBLEMS, PROBLEM_NAMES, PROBLEM_TYPE_BASE, problemType } from '#contract/problems';
import { EXPORT_COLUMNS, type ExportRow } from '#domain/report-export';
import { PAYEE_KINDS, PAYEE_SCHEMA } from '#domain/payee';

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
    localDate: {
      type: 'string',
      format: 'date',
      description:
        "The customer's date: the payment's date in the offset the client sent (UTC for epoch milliseconds). It decides the payment's month. " +
        'Absent on payments stored before it was kept: their UTC date stands in.',
      examples: ['2026-10-05'],
    },
    utcOffset: {
      type: 'string',
      pattern: '^(Z|[+-][0-9]{2}:[0-9]{2})$',
      description: 'The offset the client sent (`Z` for epoch milliseconds). Absent where `localDate` is.',
      examples: ['Z', '-01:00'],
    },
    description: { type: 'string' },
    currency: { type: 'string', examples: ['GBP'] },
    amount: { type: 'string', examples: ['9.99'] },
    payee: PAYEE_SCHEMA,
    receivedAt: { type: 'string', format: 'date-time' },
    reversal: {
      ...PAYMENT_REVERSAL_SCHEMA,
      description: 'Present once an integration reported it returned or reversed.',
    },
  },
};

const CYCLE_STATUSES = ['kept', 'missed', 'pending', 'none', 'disputed'];

const reportedPaymentSchema = {
  type: 'object',
  required: ['id', 'timestamp', 'localDate', 'amount', 'clientId', 'onBehalf'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    timestamp: { type: 'string', format: 'date-time' },
    localDate: { type: 'string', format: 'date', description: "The payment's date in the offset the client sent." },
    amount: { type: 'string' },
    clientId: { type: 'string', description: 'The client id of the app that submitted it.' },
    onBehalf: { type: 'boolean', description: 'True when a trusted integration submitted it for the user.' },
    reversal: REVERSAL_MARK_SCHEMA,
  },
};

/** One commitment's fields, named as the export's columns are (one vocabulary). */
/** Where a commitment's kind came from (decision 0024); absent on reports built before the customer could choose. */
const KIND_SOURCE_SCHEMA = {
  type: 'string',
  enum: ['integration', 'customer'],
  description: "The integration's `payee.kind` (it wins), or the customer's choice (PUT /commitments/{id}/kind).",
};

const COMMITMENT_PROPERTIES = {
  commitmentId: {
    type: 'string',
    description: "Stable id across months: currency and payee key, or the integration's mandate reference.",
    examples: ['GBP#puregym', 'GBP#apple bill#499', 'GBP#ref#DDM-0042'],
  },
  payee: {
    type: 'string',
    description: "The payee as its latest payment named it (the integration's name, else the narrative).",
  },
  payeeKey: {
    type: 'string',
    description: 'The payee key of its bank narratives (decision 0015).',
    examples: ['puregym'],
  },
  kind: { type: ['string', 'null'], enum: [...PAYEE_KINDS, null] },
  currency: { type: 'string' },
  amount: { type: 'string', description: "This cycle's payments summed exactly (zero when none).", examples: ['9.99'] },
  dueDay: {
    type: 'integer',
    minimum: 1,
    maximum: 31,
    description: 'Day of the month the cycle is due, learned from its payments.',
  },
  lastPaidOn: { type: 'string', format: 'date', description: 'Local date of its latest payment.' },
  streak: { type: 'integer', minimum: 0, description: 'Kept cycles in a row up to this month; a missed one ends it.' },
  history: {
    type: 'array',
    minItems: 24,
    maxItems: 24,
    description: '24 months, most recent first ([0] is the report month).',
    items: {
      type: 'object',
      required: ['month', 'status'],
      properties: {
        month: { type: 'string', examples: ['2026-10'] },
        status: { type: 'string', enum: CYCLE_STATUSES },
      },
    },
  },
  paymentHistoryProfile: {
    type: 'string',
    pattern: '^[0-6BD]{24}$',
    description: "The history as Metro 2's Payment History Profile: 0 kept, 1-6 missed in a row, D pending, B none.",
  },
  clientIds: {
    type: 'array',
    items: { type: 'string' },
    description: "The distinct client ids behind this cycle's payments, sorted.",
  },
  selfReported: {
    type: 'boolean',
    description: "True when any of this cycle's payments was submitted with the user's own token.",
  },
  payments: { type: 'array', items: reportedPaymentSchema, description: 'The payments counted for this cycle.' },
};

/** A commitment's consent (issue 22): on every report built since consent was kept, so not required of older ones. */
const consentStateSchema = {
  type: 'object',
  description:
    'Whether the customer opted this commitment in to the credit file as of the build, and when it last changed.',
  required: ['report', 'changedAt'],
  additionalProperties: false,
  properties: {
    report: { type: 'boolean', description: 'Opted in: the credit file may carry it.' },
    changedAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description: "The customer's latest change; null: the stage's default, never changed.",
    },
  },
};

const monthlyReportSchema = {
  type: 'object',
  description:
    "A customer's commitments in one month, with their cycles and 24-month histories, as they go onto the credit file.",
  required: ['userId', 'month', 'payments', 'builtAt', 'commitments', 'aheadPayments', 'payeeRoutes'],
  properties: {
    userId: { type: 'string', format: 'uuid' },
    month: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', examples: ['2026-10'] },
    payments: { type: 'integer', description: 'Payments dated in the month (local date).' },
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
        required: Object.keys(COMMITMENT_PROPERTIES),
        properties: {
          ...COMMITMENT_PROPERTIES,
          ...DISPUTED_COMMITMENT_PROPERTIES,
          consent: consentStateSchema,
          ...reversedCommitmentProperties(reportedPaymentSchema),
          kindSource: KIND_SOURCE_SCHEMA,
          scheduledAmount: {
            type: 'string',
            description:
              "What a cycle is expected to cost: the latest paid cycle's total (Metro 2's Scheduled Monthly Payment; a missed cycle leaves it unpaid). Absent on reports built before it was kept.",
            examples: ['9.99'],
          },
        },
      },
    },
    aheadPayments: {
      type: 'array',
      description: "Payments of this month counted for the next month's cycle (paid early over the month's end).",
      items: {
        ...reportedPaymentSchema,
        required: [...reportedPaymentSchema.required, 'commitmentId'],
        properties: { ...reportedPaymentSchema.properties, commitmentId: { type: 'string' } },
      },
    },
    payeeRoutes: {
      type: 'array',
      description: "The customer's moves: later payments with this payee key go to that commitment.",
      items: {
        type: 'object',
        required: ['currency', 'payeeKey', 'into'],
        properties: { currency: { type: 'string' }, payeeKey: { type: 'string' }, into: { type: 'string' } },
      },
    },
  },
};

const furnishingViolationSchema = {
  type: 'object',
  required: ['record', 'rule', 'message'],
  properties: {
    record: { type: 'integer', description: 'The line of the file (1 = header).' },
    rule: { type: 'string', examples: ['required'] },
    field: { type: 'string', examples: ['surname'] },
    message: { type: 'string' },
  },
};

/** The furnishing step's files, as the FurnishBureaus map answers and the run summary keeps them (lambdas/domain/furnishing.ts). */
const furnishingOutcomeSchema = {
  type: 'object',
  description:
    "The month's credit-bureau files (issue 23): per configured bureau, delivered (where, counts, digest), rejected by the validator (which records and rules, at most 20), or nothing to furnish (no opted-in commitment of a customer with an identity: no file; why, by reason), or failed (the bureau's step failed after its retries: the error's name; the other bureaus' entries stand). Absent before the step ran.",
  required: ['files'],
  properties: {
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['status'],
        properties: {
          status: { type: 'string', enum: ['delivered', 'rejected', 'nothing-to-furnish', 'failed'] },
          month: { type: 'string', description: 'A rejected or failed file, or nothing to furnish: its month.' },
          bureau: { type: 'string', description: 'A rejected or failed file, or nothing to furnish: its bureau.' },
          error: {
            type: 'string',
            description: "A failed bureau's step: the error's name only (never its cause).",
            examples: ['DependencyUnavailable'],
          },
          skipped: {
            type: 'object',
            description: 'Nothing to furnish: the commitments left out, by reason.',
            additionalProperties: { type: 'integer' },
          },
          withdrawn: {
            type: 'boolean',
            description:
              "Nothing to furnish: whether an earlier run's file of the month (and its manifest) was there and is withdrawn (in S3 a delete marker; the earlier versions stay, locked).",
          },
          violations: { type: 'array', items: furnishingViolationSchema, description: 'A rejected file: why.' },
          manifest: {
            type: 'object',
            description: 'A delivered file: its manifest, as written beside it.',
            required: ['month', 'bureau', 'records', 'skipped', 'erasures', 'sha256', 'location'],
            properties: {
              month: { type: 'string' },
              bureau: { type: 'string', examples: ['equifax'] },
              records: {
                type: 'object',
                required: ['header', 'base', 'trailer'],
                properties: { header: { type: 'integer' }, base: { type: 'integer' }, trailer: { type: 'integer' } },
              },
              skipped: {
                type: 'object',
                description: 'Commitments not furnished, by reason.',
                additionalProperties: { type: 'integer' },
              },
              erasures: { type: 'integer', description: 'Customers whose erasure (status DA) this file furnished.' },
              sha256: { type: 'string' },
              location: { type: 'string', description: 'A path locally; an s3:// URI in AWS.' },
            },
          },
        },
      },
    },
    error: { type: 'string', description: 'The error that stopped the step after its retries.' },
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
    furnishing: furnishingOutcomeSchema,
  },
};

/** One exported commitment; the CSV header names the same columns in the same order. */
const EXPORT_ROW_PROPERTIES: Record<keyof ExportRow, Record<string, unknown>> = {
  userId: { type: 'string', format: 'uuid' },
  month: { type: 'string', examples: ['2026-10'] },
  commitmentId: COMMITMENT_PROPERTIES.commitmentId,
  payee: {
    ...COMMITMENT_PROPERTIES.payee,
    description: `${COMMITMENT_PROPERTIES.payee.description} In CSV, a value starting with = + - @ tab or CR is prefixed with an apostrophe.`,
  },
  payeeKey: COMMITMENT_PROPERTIES.payeeKey,
  kind: { type: 'string', enum: [...PAYEE_KINDS, ''], description: 'Empty when not known.' },
  currency: { type: 'string', examples: ['GBP'] },
  amount: COMMITMENT_PROPERTIES.amount,
  dueDay: COMMITMENT_PROPERTIES.dueDay,
  lastPaidOn: COMMITMENT_PROPERTIES.lastPaidOn,
  streak: COMMITMENT_PROPERTIES.streak,
  history: {
    type: 'string',
    description: "The 24 months' statuses (kept, missed, pending, none), most recent first, space-separated.",
  },
  paymentHistoryProfile: COMMITMENT_PROPERTIES.paymentHistoryProfile,
  clientIds: {
    type: 'string',
    description: "The distinct client ids behind this cycle's payments, space-separated (sorted).",
  },
  selfReported: {
    ...COMMITMENT_PROPERTIES.selfReported,
    description: `${COMMITMENT_PROPERTIES.selfReported.description} (CSV: true or false).`,
  },
  paymentIds: { type: 'string', description: 'The payments counted for this cycle, space-separated.' },
  consent: {
    type: 'boolean',
    description: 'The customer opted the commitment in to the credit file (as of the build; CSV: true or false).',
  },
  complianceCondition: {
    type: 'string',
    enum: ['XB', ''],
    description:
      "The report's Metro 2 Compliance Condition Code: XB while a dispute of the month or an earlier one of its 24 is open, else empty.",
  },
  reversedMonths: {
    type: 'string',
    description: 'The months of the 24 with a payment the bank returned or reversed, space-separated (empty: none).',
  },
  reversedPaymentIds: {
    type: 'string',
    description: "This cycle's reversed payments (cited, counted for nothing), space-separated.",
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

const correctionSchema = {
  type: 'object',
  description:
    'A correction as kept (append-only): what was asked, when, by whom (token `sub`) and from which app (`client_id`).',
  required: ['kind', 'into', 'at', 'by', 'clientId'],
  properties: {
    ...CORRECTION_REQUEST_SCHEMA.properties,
    at: { type: 'string', format: 'date-time' },
    by: { type: 'string', format: 'uuid' },
    clientId: { type: 'string' },
  },
};

const commitmentListSchema = {
  type: 'object',
  description:
    "The customer's commitments as their latest report has them (`month`, `builtAt`; both absent before the first report), with " +
    'every correction applied, and the corrections themselves, oldest first. The report itself changes at the next report run.',
  required: ['commitments', 'mergedInto', 'corrections', 'pendingCorrections'],
  properties: {
    month: { type: 'string', examples: ['2026-10'] },
    builtAt: { type: 'string', format: 'date-time' },
    commitments: {
      type: 'array',
      items: {
        type: 'object',
        description:
          'A commitment of the report (its fields as GET /reports/{month} gives them), with `mergedFrom` where others were merged into it.',
        required: ['commitmentId', 'currency'],
        properties: {
          commitmentId: { type: 'string' },
          key: { type: 'string', description: 'The grouping key of reports built before commitments had ids.' },
          payee: { type: ['string', 'null'] },
          payeeKey: { type: ['string', 'null'] },
          kind: { type: ['string', 'null'] },
          kindSource: KIND_SOURCE_SCHEMA,
          currency: { type: 'string' },
          amount: { type: 'string' },
          dueDay: { type: ['integer', 'null'] },
          lastPaidOn: { type: ['string', 'null'] },
          streak: { type: 'integer' },
          paymentHistoryProfile: { type: 'string' },
          clientIds: { type: 'array', items: { type: 'string' } },
          selfReported: { type: 'boolean' },
          payments: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'timestamp'],
              properties: {
                id: { type: 'string' },
                timestamp: { type: 'string' },
                localDate: { type: 'string' },
                amount: { type: 'string' },
                clientId: { type: 'string' },
                onBehalf: { type: 'boolean' },
              },
            },
          },
          history: {
            type: 'array',
            items: {
              type: 'object',
              required: ['month', 'status'],
              properties: {
                month: { type: 'string' },
                status: { type: 'string', enum: CYCLE_STATUSES },
              },
            },
          },
          mergedFrom: { type: 'array', items: { type: 'string' } },
          ...reversedCommitmentProperties(reportedPaymentSchema),
          consent: { ...consentStateSchema, description: "The consent now (not the report's): it changes at once." },
        },
      },
    },
    mergedInto: {
      type: 'object',
      description: 'Each merged-away commitment id and the commitment it is now part of.',
      additionalProperties: { type: 'string' },
    },
    corrections: { type: 'array', items: { $ref: '#/components/schemas/Correction' } },
    pendingCorrections: {
      type: 'integer',
      minimum: 0,
      description: 'Corrections made after the report was built: the next report run rebuilds the months they change.',
    },
  },
};

const storedCorrectionSchema = {
  type: 'object',
  required: ['correction', 'rebuildFrom'],
  properties: {
    correction: { $ref: '#/components/schemas/Correction' },
    rebuildFrom: {
      type: 'string',
      description:
        'The first month the correction changes: the next report run rebuilds this month and those after it.',
      examples: ['2026-06'],
    },
  },
};

const consentChangeSchema = {
  type: 'object',
  description:
    'One change of a consent as kept (append-only): when, by whom (token `sub`), from which app, from and to.',
  required: ['commitmentId', 'at', 'by', 'clientId', 'from', 'to'],
  properties: {
    commitmentId: COMMITMENT_PROPERTIES.commitmentId,
    at: { type: 'string', format: 'date-time' },
    by: { type: 'string', format: 'uuid' },
    clientId: { type: 'string' },
    from: { type: 'boolean' },
    to: { type: 'boolean' },
  },
};

const commitmentConsentSchema = {
  type: 'object',
  description: "A commitment's consent now, and every change of it, oldest first.",
  required: ['commitmentId', 'consent', 'changes'],
  properties: {
    commitmentId: COMMITMENT_PROPERTIES.commitmentId,
    consent: consentStateSchema,
    changes: { type: 'array', items: { $ref: '#/components/schemas/ConsentChange' } },
  },
};

/** The identity as answered (PUT and GET): the request's fields as stored, the SSN as its last four digits only. */
const storedIdentitySchema = {
  type: 'object',
  description:
    "The customer's identity as stored (text trimmed, codes upper-case, a ZIP as digits); the SSN is never answered " +
    'in full, only `ssnLastFour`.',
  required: ['userId', 'identity', 'writtenAt'],
  properties: {
    userId: { type: 'string', format: 'uuid' },
    identity: {
      type: 'object',
      required: [...IDENTITY_REQUEST_SCHEMA.required],
      additionalProperties: false,
      properties: {
        ...Object.fromEntries(Object.entries(IDENTITY_REQUEST_SCHEMA.properties).filter(([name]) => name !== 'ssn')),
        ssnLastFour: { type: 'string', pattern: '^[0-9]{4}$', description: "The SSN's last four digits." },
      },
    },
    writtenAt: { type: 'string', format: 'date-time' },
  },
};

const commitmentKindSchema = {
  type: 'object',
  description:
    "A commitment's kind now (decision 0024): the integration's `payee.kind`, else the customer's latest choice, else unknown (null: not furnished).",
  required: ['commitmentId', 'kind', 'kindSource'],
  additionalProperties: false,
  properties: {
    commitmentId: COMMITMENT_PROPERTIES.commitmentId,
    kind: COMMITMENT_PROPERTIES.kind,
    kindSource: { type: ['string', 'null'], enum: ['integration', 'customer', null] },
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
  CorrectionRequest: CORRECTION_REQUEST_SCHEMA,
  Correction: correctionSchema,
  StoredCorrection: storedCorrectionSchema,
  CommitmentList: commitmentListSchema,
  DisputeRequest: DISPUTE_REQUEST_SCHEMA,
  ResolutionRequest: RESOLUTION_REQUEST_SCHEMA,
  Dispute: DISPUTE_SCHEMA,
  DisputeList: DISPUTE_LIST_SCHEMA,
  ConsentRequest: CONSENT_REQUEST_SCHEMA,
  ReversalRequest: REVERSAL_REQUEST_SCHEMA,
  PaymentReversal: PAYMENT_REVERSAL_SCHEMA,
  ConsentChange: consentChangeSchema,
  CommitmentConsent: commitmentConsentSchema,
  IdentityRequest: IDENTITY_REQUEST_SCHEMA,
  StoredIdentity: storedIdentitySchema,
  KindRequest: KIND_REQUEST_SCHEMA,
  CommitmentKind: commitmentKindSchema,
  Problem: problemSchema,
} as const;

export type SchemaName = keyof typeof OPENAPI_SCHEMAS;

/** A reference to one of the published schemas, as an OpenAPI document writes it. */
export const schemaRef = (name: SchemaName): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/**
 * A JSON Lines body (`application/x-ndjson`): one JSON text of the named schema per line. OpenAPI 3.1 has no keyword
 * for a sequence (3.2's `itemSchema`), and a validator that is not told otherwise (Prism's proxy) checks the body as
 * the text it is: so the schema is a string, and the rows' schema is named in `contentSchema` (JSON Schema 2020-12's
 * annotation for what a string holds, read as an array of the lines, as the OpenAPI media-type registry models a
 * sequence) for readers and generators.
 */
export const jsonLinesOf = (name: SchemaName): Record<string, unknown> => ({
  type: 'string',
  description: `JSON Lines: one ${name} object per line, each line ending with a line feed.`,
  contentMediaType: 'application/x-ndjson',
  contentSchema: { type: 'array', items: schemaRef(name) },
});
