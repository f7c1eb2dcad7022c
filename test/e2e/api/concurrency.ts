import { randomUUID } from 'node:crypto';
import { DynamoDbPaymentRepository } from '#adapters/payment-repository';
import { testDocumentClient } from '../../support/dynamodb';
import { submit, storedPayment } from '../../support/http';
import type { RunningLocalStack } from '#devtools/local-stack-process';
import { paymentSubmission } from '#devtools/submissions';
import { sharedApiStack } from '../../support/api-stack';

const documentClient = testDocumentClient();
let stack: RunningLocalStack;

beforeAll(async () => {
  stack = await sharedApiStack();
});

describe('concurrent submissions of one payment id', () => {
  test('50 at once: exactly one item stored; every answer 201, 200 or 409, none 5xx', async () => {
    const userId = randomUUID();
    const token = await stack.token({ sub: userId });
    const body = paymentSubmission({ userId, description: 'Rent', amount: '950.00' });
    // A few of them carry different content: those must lose (409) or, if first, win alone.
    const bodies = Array.from({ length: 50 }, (_, i) => (i % 10 === 9 ? { ...body, amount: '951.00' } : body));

    const answers = await Promise.all(bodies.map((b) => submit(stack.url, token, b)));
    const statuses = answers.map((answer) => answer.status);

    expect(statuses.filter((status) => ![200, 201, 409].includes(status))).toEqual([]);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);

    const item = await storedPayment(documentClient, stack.tableNames.payments, body.id as string);
    expect(item).toBeDefined();
    const winner = answers.find((answer) => answer.status === 201)!;
    expect(item).toMatchObject({ amount: winner.body.amount });
    // Every 200 replays the winner's content; every 409 had the other content.
    for (const [index, answer] of answers.entries()) {
      if (answer.status === 200) expect(answer.body).toEqual(winner.body);
      if (answer.status === 409) expect(bodies[index]!.amount).not.toBe(winner.body.amount);
    }

    // Pattern 3 through the month-shard index: the user's month holds the one payment.
    const month = await new DynamoDbPaymentRepository(documentClient, stack.tableNames.payments).listMonth(
      userId,
      '2026-10',
      100,
    );
    expect(month.payments).toHaveLength(1);
  });
});
