import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DependencyUnavailableError, InvalidPaymentError, PaymentConflictError } from '#domain/errors';
import { isTransientAwsError } from '#adapters/transient-errors';
import { toWorkflowError } from '#adapters/workflow-handler';
import { asLambdaInvocationError } from '#local/lambda/lambda-runtime';

describe('isTransientAwsError', () => {
  const networkError = (code: string): Error => Object.assign(new Error(code), { code });

  test.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'])('%s is transient', (code) => {
    expect(isTransientAwsError(networkError(code))).toBe(true);
  });

  test('connection failures wrapped in an AggregateError or a cause are transient', () => {
    expect(isTransientAwsError(new AggregateError([networkError('ECONNREFUSED')]))).toBe(true);
    expect(isTransientAwsError(new Error('wrapped', { cause: networkError('ECONNRESET') }))).toBe(true);
  });

  test('an SDK error that got no HTTP answer is transient, whatever hides its code', () => {
    const noAnswer = Object.assign(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED'), {
      $metadata: { attempts: 2 },
    });
    expect(isTransientAwsError(noAnswer)).toBe(true);
    expect(isTransientAwsError(new Error('failed to save', { cause: noAnswer }))).toBe(true);
  });

  test('throttling and 5xx from DynamoDB are transient', () => {
    const throttled = new DynamoDBServiceException({
      name: 'ProvisionedThroughputExceededException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    const internal = new DynamoDBServiceException({
      name: 'SomethingNew',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
    });
    expect(isTransientAwsError(throttled)).toBe(true);
    expect(isTransientAwsError(internal)).toBe(true);
  });

  test('a refused condition, a validation error or a bug is not transient', () => {
    expect(
      isTransientAwsError(new ConditionalCheckFailedException({ message: 'no', $metadata: { httpStatusCode: 400 } })),
    ).toBe(false);
    expect(
      isTransientAwsError(
        new DynamoDBServiceException({
          name: 'ValidationException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
        }),
      ),
    ).toBe(false);
    expect(isTransientAwsError(new TypeError('x is undefined'))).toBe(false);
    expect(isTransientAwsError(undefined)).toBe(false);
  });
});

describe('toWorkflowError', () => {
  test('a typed error keeps its name; its message becomes the problem fields as JSON', () => {
    const error = toWorkflowError(new InvalidPaymentError([{ field: 'amount', message: 'must be positive' }])) as Error;
    expect(error.name).toBe('InvalidPayment');
    expect(JSON.parse(error.message)).toMatchObject({
      type: expect.stringContaining('invalid-payment'),
      title: expect.any(String),
      detail: expect.stringContaining('amount'),
      errors: [{ field: 'amount', message: 'must be positive' }],
    });
  });

  test('a transient AWS failure becomes DependencyUnavailable', () => {
    const error = toWorkflowError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) as Error;
    expect(error.name).toBe(new DependencyUnavailableError('x').name);
    expect(JSON.parse(error.message).type).toContain('dependency-unavailable');
  });

  test('the shaped error keeps what it shapes as its cause, down to the AWS failure', () => {
    const conflict = new PaymentConflictError('taken');
    expect((toWorkflowError(conflict) as Error).cause).toBe(conflict);
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const unavailable = (toWorkflowError(refused) as Error).cause as Error;
    expect(unavailable).toBeInstanceOf(DependencyUnavailableError);
    expect(unavailable.cause).toBe(refused);
  });

  test('anything else is passed through untouched, to surface as an internal error', () => {
    const bug = new TypeError('boom');
    expect(toWorkflowError(bug)).toBe(bug);
  });
});

describe('asLambdaInvocationError (local stand-in for how Lambda reports errors)', () => {
  test('Error is the error name and Cause is the JSON document Lambda produces', () => {
    const invocationError = asLambdaInvocationError(toWorkflowError(new PaymentConflictError('taken')));
    expect(invocationError.name).toBe('PaymentConflict');
    const cause = JSON.parse(invocationError.message);
    expect(cause).toMatchObject({ errorType: 'PaymentConflict', trace: expect.any(Array) });
    expect(JSON.parse(cause.errorMessage)).toMatchObject({ detail: 'taken' });
  });
});

describe('isTransientAwsError on cancelled transactions (StorePayment writes the payment and its month index together)', () => {
  const cancelled = (...codes: string[]): TransactionCanceledException =>
    new TransactionCanceledException({
      message: 'cancelled',
      $metadata: { httpStatusCode: 400 },
      CancellationReasons: codes.map((Code) => ({ Code })),
    });

  test('a conflicting transaction or throttling may succeed on retry', () => {
    expect(isTransientAwsError(cancelled('None', 'TransactionConflict'))).toBe(true);
    expect(isTransientAwsError(cancelled('ThrottlingError', 'None'))).toBe(true);
  });

  test('a failed condition (the payment id exists) is not transient', () => {
    expect(isTransientAwsError(cancelled('ConditionalCheckFailed', 'None'))).toBe(false);
  });
});
