import { ENV } from '#contract/environment';
import { freePort } from '#local/free-port';
import {
  outputOf,
  paymentBody,
  retriedStates,
  runSubmission,
  stateFailures,
  statesEntered,
  submissionInput,
  submissionWorkflow,
  userCaller,
} from '../support/submissions';

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
    const execution = await runSubmission(workflow, submissionInput(body, userCaller(body.userId as string)));

    expect(retriedStates(execution)).toEqual(['CheckIdempotency', 'CheckIdempotency', 'CheckIdempotency']);
    expect(stateFailures(execution)).toEqual(Array(4).fill('CheckIdempotency:DependencyUnavailable'));
    expect(statesEntered(execution).slice(-1)).toEqual(['ServiceUnavailable']);
    const output = outputOf(execution);
    expect(output.statusCode).toBe(503);
    expect(output.headers['Retry-After']).toEqual(expect.stringMatching(/^\d+$/));
    expect(output.body).toMatchObject({ status: 503, requestId: execution.name });
  });
});
