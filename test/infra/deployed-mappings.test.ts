import { randomUUID } from 'node:crypto';
import { SUBMISSION_RESPONSE_TEMPLATE, submissionRequestTemplate } from '#contract/api-gateway-templates';
import { toHttpResponse } from '#contract/http-mapping';
import { USER_APP_SCOPES } from '#contract/scopes';
import type { SubmissionInput } from '#contract/workflow-io';
import { batchBody, batchWorkflow, paymentBody, submissionWorkflow } from '#devtools/submissions';
import type { LocalWorkflow } from '#local/step-functions/workflow-runner';
import { renderRequestTemplate, renderResponseTemplate } from './support/api-gateway-vtl';

/**
 * The deployed API's two mapping templates around the real submit-payment workflow (the ASL
 * file, the real handlers, DynamoDB Local): for each scenario, API Gateway's answer (rendered
 * from the templates) equals the local gateway's (toHttpResponse of the same execution).
 */
const workflow = submissionWorkflow();
const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-2:123456789012:stateMachine:SubmitPayment';

const submitThroughTemplates = async (
  body: string,
  claims: Record<string, string>,
  through: LocalWorkflow = workflow,
) => {
  const requestId = randomUUID();
  const context = { requestId, requestTimeEpoch: Date.now(), claims };
  const start = JSON.parse(
    renderRequestTemplate(submissionRequestTemplate(STATE_MACHINE_ARN), { ...context, body }),
  ) as { name: string; input: string };
  const input = JSON.parse(start.input) as SubmissionInput;
  const execution = await through.run(start.name, input);
  // StartSyncExecution's answer: the output as a JSON string.
  const syncResult = {
    executionArn: execution.executionArn,
    status: execution.status,
    output: JSON.stringify(execution.output),
  };
  const deployed = renderResponseTemplate(SUBMISSION_RESPONSE_TEMPLATE, context, JSON.stringify(syncResult));
  return { deployed, local: toHttpResponse(execution, requestId) };
};

const userClaims = (userId: string) => ({ sub: userId, client_id: 'user-app', scope: USER_APP_SCOPES.join(' ') });

describe('API Gateway templates around the real workflow answer as the local gateway does', () => {
  test.each([
    ['201 created, then 200 replayed', [201, 200], (userId: string) => JSON.stringify(paymentBody({ userId }))],
    [
      '400 invalid payment with field errors',
      [400],
      (userId: string) => JSON.stringify(paymentBody({ userId, amount: '9.999', currency: 'XXX1' })),
    ],
    ['400 not JSON', [400], () => "{'id': 1"],
    ["403 another user's payment", [403], () => JSON.stringify(paymentBody())],
  ])('%s', async (_name, statuses, bodyFor) => {
    const userId = randomUUID();
    const body = bodyFor(userId);
    for (const status of statuses) {
      const { deployed, local } = await submitThroughTemplates(body, userClaims(userId));
      expect(deployed.statusCode).toBe(status);
      expect(deployed).toEqual(local);
    }
  });

  test('409: the same id with other content', async () => {
    const userId = randomUUID();
    const first = paymentBody({ userId });
    await submitThroughTemplates(JSON.stringify(first), userClaims(userId));
    const { deployed, local } = await submitThroughTemplates(
      JSON.stringify({ ...first, amount: '10.00' }),
      userClaims(userId),
    );
    expect(deployed.statusCode).toBe(409);
    expect(deployed).toEqual(local);
  });

  test('a description with quotes, a backslash, an apostrophe and non-ASCII text survives both templates exactly', async () => {
    const userId = randomUUID();
    const description = 'Gym "Pro" \\ O\'Brien – café 😀';
    const { deployed, local } = await submitThroughTemplates(
      JSON.stringify(paymentBody({ userId, description })),
      userClaims(userId),
    );
    expect(deployed).toEqual(local);
    expect(JSON.parse(deployed.body)).toMatchObject({ description });
  });
});

describe('the same templates around the real batch workflow (POST /payments/batch) answer as the local gateway does', () => {
  const batch = batchWorkflow();

  test('a batch of created, replayed, invalid and forbidden payments, with keys and text the body cut must step over', async () => {
    const userId = randomUUID();
    const stored = paymentBody({ userId, description: 'Gym "Pro" \\ O\'Brien – café 😀' });
    const body = batchBody([
      stored,
      stored,
      // Field names the response template looks for when it cuts the body out of the output: inside the body they
      // are only ever a field's name in a problem, never a key.
      { ...paymentBody({ userId }), headers: {}, statusCode: 1, body: '"body":' },
      paymentBody(),
    ]);
    const { deployed, local } = await submitThroughTemplates(body, userClaims(userId), batch);

    expect(deployed.statusCode).toBe(200);
    expect(deployed).toEqual(local);
    const answer = JSON.parse(deployed.body) as { results: Array<{ status: number }> };
    expect(answer.results.map((result) => result.status).sort()).toEqual([200, 201, 400, 403]);
  });
});
