import {
  DISPUTE_OUTCOMES,
  DISPUTE_REASONS,
  DISPUTE_TEXT_MAX_LENGTH,
  RESOLUTION_NOTE_MAX_LENGTH,
} from '#domain/dispute';
import { COMMITMENT_ID_PATTERN } from '#domain/commitment-correction';
import { textPattern } from '#domain/description';

/** The disputes' published schemas (decisions/0018), beside the catalogue's others (contract/openapi-schemas.ts). */

const STATES = ['open', ...DISPUTE_OUTCOMES];

const stepSchema = {
  type: 'object',
  required: ['at', 'by', 'clientId'],
  properties: {
    at: { type: 'string', format: 'date-time' },
    by: { type: 'string', description: "The customer's user id, or the operations client's id." },
    clientId: { type: 'string' },
  },
};

export const DISPUTE_REQUEST_SCHEMA = {
  type: 'object',
  description:
    'A month of one of your commitments, or one payment of it (`paymentId`, with the month it is dated in). ' +
    'Unknown fields are refused.',
  required: ['commitmentId', 'month', 'reason', 'text'],
  additionalProperties: false,
  properties: {
    commitmentId: { type: 'string', pattern: COMMITMENT_ID_PATTERN },
    month: { type: 'string', pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', examples: ['2026-09'] },
    paymentId: { type: 'string', format: 'uuid' },
    reason: { type: 'string', enum: [...DISPUTE_REASONS] },
    text: {
      type: 'string',
      pattern: textPattern(DISPUTE_TEXT_MAX_LENGTH),
      description: 'What is wrong, in your words.',
    },
  },
  examples: [{ commitmentId: 'GBP#netflix', month: '2026-09', reason: 'paid-on-time', text: 'Paid on the 5th' }],
} as const;

export const RESOLUTION_REQUEST_SCHEMA = {
  type: 'object',
  required: ['outcome', 'note'],
  additionalProperties: false,
  properties: {
    outcome: {
      type: 'string',
      enum: [...DISPUTE_OUTCOMES],
      description:
        'verified: reported as it was; corrected: a disputed payment leaves the commitment (a move to one of its own); ' +
        'deleted: the month is no longer reported.',
    },
    note: { type: 'string', pattern: textPattern(RESOLUTION_NOTE_MAX_LENGTH) },
  },
} as const;

export const DISPUTE_SCHEMA = {
  type: 'object',
  required: [
    'disputeId',
    'userId',
    'commitmentId',
    'month',
    'paymentId',
    'reason',
    'text',
    'state',
    'filed',
    'resolution',
  ],
  properties: {
    ...DISPUTE_REQUEST_SCHEMA.properties,
    paymentId: { type: ['string', 'null'], format: 'uuid' },
    disputeId: { type: 'string', format: 'uuid' },
    userId: { type: 'string' },
    state: { type: 'string', enum: STATES, description: 'open until resolved; a resolution is final.' },
    filed: stepSchema,
    resolution: {
      oneOf: [
        { type: 'null' },
        {
          ...stepSchema,
          required: [...stepSchema.required, 'outcome', 'note'],
          properties: { ...stepSchema.properties, ...RESOLUTION_REQUEST_SCHEMA.properties },
        },
      ],
    },
    ageDays: { type: 'integer', minimum: 0, description: 'Days open (open disputes only).' },
  },
};

export const DISPUTE_LIST_SCHEMA = {
  type: 'object',
  required: ['disputes'],
  properties: { disputes: { type: 'array', items: { $ref: '#/components/schemas/Dispute' } } },
};

/** What a report's commitment carries of its disputes (absent on reports built before disputes). */
export const DISPUTED_COMMITMENT_PROPERTIES = {
  disputes: {
    type: 'array',
    items: {
      type: 'object',
      required: ['disputeId', 'month', 'paymentId', 'state'],
      properties: {
        disputeId: { type: 'string' },
        month: { type: 'string' },
        paymentId: { type: ['string', 'null'] },
        state: { type: 'string', enum: STATES },
      },
    },
  },
  complianceCondition: {
    type: ['string', 'null'],
    enum: ['XB', null],
    description: 'Metro 2 Compliance Condition Code: XB while a dispute of the report month or earlier is open.',
  },
  deletedMonths: { type: 'array', items: { type: 'string' }, description: 'Months a resolved dispute deleted.' },
};
