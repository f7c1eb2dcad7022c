import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { workflowHandler } from '#adapters/workflow-handler';

const context = { functionName: 'StorePayment', awsRequestId: 'request-1' } as Context;

/**
 * A step wrapped with a tracer that is on (as in Lambda, whose X-Ray context is stood in for by `current`) or off (as in
 * the local stack), with its segment calls watched.
 */
const wrappedStep = (tracingEnabled: boolean) => {
  const tracer = new Tracer();
  // A real X-Ray subsegment (the one a tracer that is off hands out) for Lambda's current segment.
  const current = new Tracer({ enabled: false }).getSegment() as NonNullable<ReturnType<Tracer['getSegment']>>;
  jest.spyOn(tracer, 'isTracingEnabled').mockReturnValue(tracingEnabled);
  const getSegment = jest.spyOn(tracer, 'getSegment').mockReturnValue(current);
  jest.spyOn(tracer, 'setSegment').mockImplementation(() => undefined);
  // Annotations go to X-Ray's own context, which only Lambda has (without it the SDK warns on each).
  jest.spyOn(tracer, 'putAnnotation').mockImplementation(() => undefined);
  const step = workflowHandler(
    { logger: new Logger({ logLevel: 'SILENT' }), tracer },
    async (input: { requestId: string }) => ({
      stored: input.requestId,
    }),
  );
  return { step, getSegment, current };
};

describe('workflowHandler and tracing', () => {
  test('with tracing off (the local stack) it asks for no segment: Powertools would make a dummy one each time', async () => {
    const { step, getSegment } = wrappedStep(false);
    await expect(step({ requestId: 'r-1' }, context)).resolves.toEqual({ stored: 'r-1' });
    expect(getSegment).not.toHaveBeenCalled();
  });

  test('with tracing on (Lambda) the step runs in a subsegment of its own, closed when it ends', async () => {
    const { step, current } = wrappedStep(true);
    await expect(step({ requestId: 'r-2' }, context)).resolves.toEqual({ stored: 'r-2' });
    expect(current.subsegments?.map((subsegment) => [subsegment.name, subsegment.isClosed()])).toEqual([
      ['## StorePayment', true],
    ]);
  });
});
