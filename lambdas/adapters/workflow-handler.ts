import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { toProblem } from '#contract/problems';
import { DependencyUnavailableError, SubmissionError } from '#domain/errors';
import { isTransientAwsError } from '#adapters/transient-errors';

export interface Observability {
  logger: Logger;
  tracer: Tracer;
}

/** Logger and Tracer take the service name, log level and tracing switch from POWERTOOLS_* variables. */
export const createObservability = (): Observability => ({ logger: new Logger(), tracer: new Tracer() });

/**
 * The error a workflow step throws. Lambda reports `name` as the error type (the ASL routes on
 * it) and `message` as errorMessage; for our typed errors the message is the RFC 9457 problem
 * fields as JSON, which the state machine merges into the HTTP answer.
 */
export const toWorkflowError = (error: unknown): unknown => {
  const typed =
    error instanceof SubmissionError
      ? error
      : isTransientAwsError(error)
        ? new DependencyUnavailableError('The payment store did not answer; nothing was stored', { cause: error })
        : undefined;
  if (!typed) return error;
  const workflowError = new Error(JSON.stringify(toProblem(typed)), { cause: typed });
  workflowError.name = typed.name;
  return workflowError;
};

interface StepInput {
  requestId: string;
}

/**
 * Wraps one workflow step: Lambda context and correlation id in every log line, a traced
 * subsegment, and typed errors shaped for the state machine. Inputs are never logged whole:
 * they hold descriptions and amounts.
 */
export const workflowHandler =
  <I extends StepInput, O>(
    { logger, tracer }: Observability,
    step: (input: I, context: Context) => Promise<O>,
  ): ((input: I, context: Context) => Promise<O>) =>
  async (input, context) => {
    logger.addContext(context);
    logger.appendKeys({ correlation_id: input.requestId });
    // With tracing off (the local stack), Powertools makes a new dummy subsegment at each call: none is made instead.
    const parent = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const segment = parent?.addNewSubsegment(`## ${context.functionName}`);
    if (segment) tracer.setSegment(segment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    tracer.putAnnotation('requestId', input.requestId);
    try {
      const output = await step(input, context);
      logger.info('Step succeeded');
      return output;
    } catch (error) {
      const workflowError = toWorkflowError(error);
      if (workflowError === error) {
        logger.error('Step failed unexpectedly', error as Error);
      } else {
        logger.warn('Step refused the submission', { errorType: (workflowError as Error).name });
      }
      tracer.addErrorAsMetadata(error as Error);
      throw workflowError;
    } finally {
      segment?.close();
      if (parent) tracer.setSegment(parent);
      logger.removeKeys(['correlation_id']);
    }
  };
