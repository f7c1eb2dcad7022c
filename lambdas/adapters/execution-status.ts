import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import type { HolderStatus } from '#domain/report-run-lock';
import type { Observability } from '#adapters/workflow-handler';

/**
 * Whether a Step Functions execution still runs, by DescribeExecution. The endpoint comes from the
 * SDK's standard variable (AWS_ENDPOINT_URL_SFN: the local stack's Step Functions API), so no
 * handler knows where it runs. An API that does not answer is UNKNOWN: the caller then respects the
 * lock's lease.
 */
export const lazyExecutionStatus = ({
  tracer,
  logger,
}: Observability): ((executionArn: string) => Promise<HolderStatus>) => {
  let client: SFNClient | undefined;
  return async (executionArn) => {
    client ??= tracer.captureAWSv3Client(
      new SFNClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 } }),
    );
    try {
      const { status } = await client.send(new DescribeExecutionCommand({ executionArn }));
      return status === 'RUNNING' || status === 'PENDING_REDRIVE' ? 'RUNNING' : 'ENDED';
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return 'NOT_FOUND';
      logger.warn('Could not tell whether the run holding the month still runs', {
        holder: executionArn,
        error: (error as Error).name,
      });
      return 'UNKNOWN';
    }
  };
};
