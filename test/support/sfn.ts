import { DescribeExecutionCommand, type DescribeExecutionCommandOutput, SFNClient } from '@aws-sdk/client-sfn';

/** A Step Functions client of the local stack's API, made as any SDK user would (any region and keys). */
export const sfnClient = (endpoint: string): SFNClient =>
  new SFNClient({
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // StartSyncExecution's host prefix (sync-) would turn 127.0.0.1 into a name that does not resolve.
    disableHostPrefix: true,
  });

/** DescribeExecution until the execution has ended (the test's timeout bounds the wait). */
export const executionEnd = async (
  client: SFNClient,
  executionArn: string,
): Promise<DescribeExecutionCommandOutput> => {
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
