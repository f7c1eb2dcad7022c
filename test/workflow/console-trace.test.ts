import { traceExecution } from '#local/console/execution-trace';
import { layoutGraph } from '#local/console/graph-layout';
import type { ExecutionRecord } from '#local/step-functions/execution-store';
import { failingFirst, paymentBody, runSubmission, submissionWorkflow } from '#devtools/submissions';
import { statesEntered } from '../support/submissions';

/**
 * The console's reading of real event logs: the real ASL run by aws-local-stepfunctions with the
 * real handlers (DynamoDB Local), so the trace is checked against the order in which the
 * interpreter actually logs entries, failures, retries, catches and exits.
 */
const takenEdges = (execution: ExecutionRecord, definition: Parameters<typeof layoutGraph>[0]): string[] =>
  layoutGraph(definition, traceExecution(definition, execution.events))
    .edges.filter((edge) => edge.taken)
    .map((edge) => `${edge.from}->${edge.to}`)
    .sort();

const pathPairs = (execution: ExecutionRecord): string[] => {
  const entered = statesEntered(execution);
  return entered
    .slice(1)
    .map((to, index) => `${entered[index]}->${to}`)
    .sort();
};

describe('execution trace of real submit-payment runs', () => {
  test('retry on service exception: StorePayment failed twice, retried twice, then succeeded, with one run and its output', async () => {
    const workflow = submissionWorkflow({ StorePayment: failingFirst(2, 'Lambda.ServiceException') });
    const body = paymentBody();
    const execution = await runSubmission(workflow, body);
    const trace = traceExecution(workflow.definition, execution.events);

    const store = trace.states.StorePayment;
    expect(store).toEqual(expect.objectContaining({ status: 'succeeded', retries: 2 }));
    expect(store?.runs).toHaveLength(1);
    expect(store?.runs[0]?.failures.map((failure) => [failure.error, failure.outcome])).toEqual([
      ['Lambda.ServiceException', 'retried'],
      ['Lambda.ServiceException', 'retried'],
    ]);
    expect(store?.runs[0]?.output).toEqual(
      expect.objectContaining({ submission: expect.objectContaining({ outcome: 'created' }) }),
    );
    expect(store?.runs[0]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(trace.states).sort()).toEqual([...new Set(statesEntered(execution))].sort());
    expect(takenEdges(execution, workflow.definition)).toEqual(pathPairs(execution));
  });

  test('invalid payment: ValidatePayment caught into BadRequest, the rest of the graph not run', async () => {
    const workflow = submissionWorkflow();
    const body = paymentBody({ amount: '9.999' });
    const execution = await runSubmission(workflow, body);
    const trace = traceExecution(workflow.definition, execution.events);

    expect(trace.states.ValidatePayment?.status).toBe('caught');
    expect(trace.states.ValidatePayment?.runs[0]?.failures).toEqual([
      expect.objectContaining({ error: 'InvalidPayment', outcome: 'caught', next: 'BadRequest' }),
    ]);
    expect(trace.states.AuthorizeOwner).toBeUndefined();
    expect(takenEdges(execution, workflow.definition)).toEqual([
      'BadRequest->RespondWithProblem',
      'ValidatePayment->BadRequest',
    ]);
  });

  test('an uncaught handler error: StorePayment caught by States.ALL into InternalError', async () => {
    const workflow = submissionWorkflow({ StorePayment: failingFirst(1, 'TypeError') });
    const body = paymentBody();
    const execution = await runSubmission(workflow, body);
    const trace = traceExecution(workflow.definition, execution.events);
    expect(trace.states.StorePayment?.status).toBe('caught');
    expect(trace.states.InternalError?.status).toBe('succeeded');
    expect(takenEdges(execution, workflow.definition)).toEqual(pathPairs(execution));
  });
});
