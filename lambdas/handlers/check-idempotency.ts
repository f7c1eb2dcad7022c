import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { ENV } from '#contract/environment';
import { PaymentConflictError, SubmissionInProgressError } from '#domain/errors';
import type { Payment } from '#domain/payment';
import { type IdempotencyOutcome, resolveIdempotency } from '#domain/submission';
import { optionalIntEnv, requireEnv } from '#adapters/config';
import { createDynamoDbClient, toDocumentClient } from '#adapters/dynamodb-client';
import { DynamoDbPaymentRepository } from '#adapters/payment-repository';
import { createObservability, workflowHandler } from '#adapters/workflow-handler';

export interface CheckIdempotencyInput {
  requestId: string;
  receivedAt: string;
  payment: Payment;
}

/** What the idempotency record keeps: which request claimed the payment id first. */
interface FirstSubmission {
  requestId: string;
  receivedAt: string;
}

/**
 * Fixed rather than derived from the function name: the deployed function and every local
 * stack then share one key space, and handlers sharing a process locally cannot collide.
 */
export const IDEMPOTENCY_KEY_PREFIX = 'submit-payment';
const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

const observability = createObservability();

interface Dependencies {
  idempotencyConfig: IdempotencyConfig;
  claimPaymentId: (input: CheckIdempotencyInput) => Promise<FirstSubmission>;
  repository: DynamoDbPaymentRepository;
}
let dependencies: Dependencies | undefined;

const buildDependencies = (): Dependencies => {
  const client = observability.tracer.captureAWSv3Client(createDynamoDbClient());
  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: 'payment.id',
    // Same id with other content must be refused, not replayed: the payee and the offset (the local date) are content.
    payloadValidationJmesPath: 'payment.[userId, timestamp, description, currency, amount, payee, utcOffset]',
    throwOnNoIdempotencyKey: true,
    expiresAfterSeconds: optionalIntEnv(ENV.idempotencyTtlSeconds, DEFAULT_TTL_SECONDS),
  });
  const claimPaymentId = makeIdempotent(
    async (input: CheckIdempotencyInput): Promise<FirstSubmission> => ({
      requestId: input.requestId,
      receivedAt: input.receivedAt,
    }),
    {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: requireEnv(ENV.idempotencyTable),
        awsSdkV3Client: client,
      }),
      config: idempotencyConfig,
      keyPrefix: IDEMPOTENCY_KEY_PREFIX,
    },
  );
  const repository = new DynamoDbPaymentRepository(toDocumentClient(client), requireEnv(ENV.paymentsTable));
  return { idempotencyConfig, claimPaymentId, repository };
};

const translateIdempotencyError = (error: unknown, paymentId: string): unknown => {
  if (error instanceof IdempotencyValidationError) {
    return new PaymentConflictError(`Payment ${paymentId} was already submitted with different content`, {
      cause: error,
    });
  }
  if (error instanceof IdempotencyAlreadyInProgressError) {
    return new SubmissionInProgressError(`Payment ${paymentId} is being submitted by another request; retry shortly`, {
      cause: error,
    });
  }
  return error;
};

/** CheckIdempotency: the first claimant of a payment id goes on to store it; others replay or conflict. */
export const handler: (input: CheckIdempotencyInput, context: Context) => Promise<IdempotencyOutcome> = workflowHandler(
  observability,
  async (input, context) => {
    dependencies ??= buildDependencies();
    const { idempotencyConfig, claimPaymentId, repository } = dependencies;
    idempotencyConfig.registerLambdaContext(context);
    let first: FirstSubmission;
    try {
      first = await claimPaymentId(input);
    } catch (error) {
      throw translateIdempotencyError(error, input.payment.id);
    }
    const outcome = await resolveIdempotency({
      requestId: input.requestId,
      firstRequestId: first.requestId,
      payment: input.payment,
      loadStored: (id) => repository.get(id),
    });
    observability.logger.info('Idempotency checked', { paymentId: input.payment.id, outcome: outcome.outcome });
    return outcome;
  },
);
