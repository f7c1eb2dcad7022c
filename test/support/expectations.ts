import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROBLEM_CONTENT_TYPE } from '#contract/problems';
import { type HttpAnswer, storedPayment } from './http';
import { idempotencyRecord } from './idempotency';

/** An RFC 9457 problem of this status and type, carrying the request id of its header. */
export const expectProblem = (answer: HttpAnswer, status: number, type: string): void => {
  expect({ status: answer.status, type: answer.body.type }).toEqual({
    status,
    type: expect.stringMatching(new RegExp(`/${type}$`)),
  });
  expect(answer.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  expect(answer.body.status).toBe(status);
  expect(answer.body.title).toEqual(expect.any(String));
  expect(answer.body.requestId).toBe(answer.headers.get('x-request-id'));
};

/** After a 4xx/5xx: no payment item and no idempotency record for the payment id. */
export const expectNothingWritten = async (
  client: DynamoDBDocumentClient,
  tableNames: { payments: string; idempotency: string },
  paymentId: unknown,
): Promise<void> => {
  expect(await storedPayment(client, tableNames.payments, paymentId as string)).toBeUndefined();
  expect(await idempotencyRecord(client, tableNames.idempotency, paymentId as string)).toBeUndefined();
};
