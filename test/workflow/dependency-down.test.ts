import { createServer } from 'node:net';
import { ENV } from '#contract/environment';
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

/** A port that nothing listens on: every DynamoDB call is refused at once. */
const closedPort = async (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('submit-payment workflow when DynamoDB is down', () => {
  let realEndpoint: string | undefined;

  beforeAll(async () => {
    realEndpoint = process.env[ENV.dynamodbEndpoint];
    process.env[ENV.dynamodbEndpoint] = `http://127.0.0.1:${await closedPort()}`;
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
