import { ENV } from '#contract/environment';
import { freePort } from '#local/free-port';
import {
  batchBody,
  batchWorkflow,
  outputOf,
  paymentBody,
  runSubmission,
  submissionWorkflow,
  userCaller,
} from '#devtools/submissions';
import { retriedStates, stateFailures, statesEntered } from '../support/submissions';

describe('submit-payment workflow when DynamoDB is down', () => {
  let realEndpoint: string | undefined;

  beforeAll(async () => {
    realEndpoint = process.env[ENV.dynamodbEndpoint];
    process.env[ENV.dynamodbEndpoint] = `http://127.0.0.1:${await freePort()}`; // nothing listens: each call is refused at once;
  });

  afterAll(() => {
    process.env[ENV.dynamodbEndpoint] = realEndpoint;
  });

  test('dependency down: retried with backoff, then 503 with Retry-After; nothing is written', async () => {
    const workflow = submissionWorkflow();
    const body = paymentBody();
    const execution = await runSubmission(workflow, body);

    expect(retriedStates(execution)).toEqual(['CheckIdempotency', 'CheckIdempotency', 'CheckIdempotency']);
    expect(stateFailures(execution)).toEqual(Array(4).fill('CheckIdempotency:DependencyUnavailable'));
    expect(statesEntered(execution).slice(-1)).toEqual(['ServiceUnavailable']);
    const output = outputOf(execution);
    expect(output.statusCode).toBe(503);
    expect(output.headers['Retry-After']).toEqual(expect.stringMatching(/^\d+$/));
    expect(output.body).toMatchObject({ status: 503, requestId: execution.name });
  });

  test('dependency down under a batch: every payment retried, then 503 with retryAfter; the batch answers 200 and nothing is written', async () => {
    const workflow = batchWorkflow();
    const user = paymentBody().userId as string;
    const payments = [paymentBody({ userId: user }), paymentBody({ userId: user }), paymentBody({ userId: user })];
    const execution = await runSubmission(workflow, batchBody(payments), userCaller(user));

    // Each payment's CheckIdempotency retried as the single path retries it: 3 retries each.
    expect(retriedStates(execution)).toEqual(Array(9).fill('CheckIdempotency'));
    expect(statesEntered(execution).filter((state) => state === 'ServiceUnavailable')).toHaveLength(3);
    const output = outputOf(execution);
    expect(output.statusCode).toBe(200);
    const { results, counts } = output.body as { results: Array<Record<string, unknown>>; counts: unknown };
    expect(counts).toEqual({ '503': 3 });
    for (const [index, result] of results.entries()) {
      expect(result).toMatchObject({
        index,
        id: payments[index]!.id,
        status: 503,
        retryAfter: 2,
        problem: { status: 503, requestId: `${execution.name}/${index}` },
      });
    }
  });
});
