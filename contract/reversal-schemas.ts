import { textPattern } from '#domain/description';
import { REVERSAL_NOTE_MAX_LENGTH, REVERSAL_REASONS } from '#domain/payment-reversal';

/** The reversals' published schemas (decisions/0019), beside the catalogue's others (contract/openapi-schemas.ts). */

const REASON = {
  type: 'string',
  enum: [...REVERSAL_REASONS],
  description:
    'Why the bank returned or reversed it: returned-unpaid (a direct debit returned, Bacs ARUDD / Nacha R01-style), ' +
    'insufficient-funds, cancelled-by-payer, disputed-with-bank (an indemnity claim or chargeback), other.',
};

const REVERSED_ON = {
  type: 'string',
  format: 'date',
  description: "The bank's date of the reversal: not before the payment's own date, not in the future.",
  examples: ['2026-10-08'],
};

export const REVERSAL_REQUEST_SCHEMA = {
  type: 'object',
  description: 'A payment the bank returned or reversed. Unknown fields are refused.',
  required: ['reason', 'reversedOn'],
  additionalProperties: false,
  properties: {
    reason: REASON,
    reversedOn: REVERSED_ON,
    note: {
      type: 'string',
      pattern: textPattern(REVERSAL_NOTE_MAX_LENGTH),
      description: `Optional: 1 to ${REVERSAL_NOTE_MAX_LENGTH} characters, validated as descriptions are.`,
    },
  },
  examples: [{ reason: 'returned-unpaid', reversedOn: '2026-10-08', note: 'ARUDD 0 refer to payer' }],
} as const;

/** A reversal as stored on its payment and answered by POST /payments/{id}/reversal. */
export const PAYMENT_REVERSAL_SCHEMA = {
  type: 'object',
  required: ['paymentId', 'reason', 'reversedOn', 'note', 'recordedAt', 'by', 'clientId', 'requestId'],
  properties: {
    paymentId: { type: 'string', format: 'uuid' },
    reason: REASON,
    reversedOn: REVERSED_ON,
    note: { type: ['string', 'null'] },
    recordedAt: { type: 'string', format: 'date-time' },
    by: { type: 'string', description: "The integration's token subject (a client, never a customer)." },
    clientId: { type: 'string' },
    requestId: { type: 'string', description: 'The request that recorded it.' },
  },
} as const;

/** What a report cites of a reversed payment. */
export const REVERSAL_MARK_SCHEMA = {
  type: 'object',
  required: ['reason', 'reversedOn'],
  properties: { reason: REASON, reversedOn: REVERSED_ON },
  description: 'Present when the bank returned or reversed the payment: it is cited, and counts for nothing.',
} as const;

/** What a report's commitment carries of its reversed payments (absent on reports built before reversals). */
export const reversedCommitmentProperties = (reportedPayment: object): Record<string, object> => ({
  reversedPayments: {
    type: 'array',
    items: reportedPayment,
    description: "This cycle's payments the bank returned or reversed: cited, never counted as kept.",
  },
  reversedMonths: {
    type: 'array',
    items: { type: 'string' },
    description: 'The months of the 24 with a reversed payment (the cycle it would have kept), oldest first.',
  },
});
