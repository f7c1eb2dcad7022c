import { randomUUID } from 'node:crypto';
import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  ListExecutionsCommand,
  SFNClient,
  StartSyncExecutionCommand,
  paginateGetExecutionHistory,
} from '@aws-sdk/client-sfn';

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

/**
 * A submission started on the Step Functions API itself, past the gateway and its token checks, with a caller of
 * the test's choosing: what anyone who may call StartSyncExecution (a local user on loopback, an AWS principal)
 * can record. The execution's ARN.
 */
export const submitPastTheGateway = async (
  client: SFNClient,
  body: string,
  caller: { sub: string; clientId: string; scope: string },
): Promise<string> => {
  const requestId = randomUUID();
  const started = await client.send(
    new StartSyncExecutionCommand({
      stateMachineArn: 'arn:aws:states:local:000000000000:stateMachine:SubmitPayment',
      name: requestId,
      input: JSON.stringify({ requestId, receivedAt: new Date().toISOString(), body, caller }),
    }),
  );
  return started.executionArn ?? '';
};

/** Every page of a history (the SDK's paginator follows nextToken), `maxResults` events a page. */
export const wholeHistory = async (
  client: SFNClient,
  executionArn: string,
  maxResults: number,
): Promise<HistoryEvent[]> => {
  const events: HistoryEvent[] = [];
  for await (const page of paginateGetExecutionHistory({ client, pageSize: maxResults }, { executionArn }))
    events.push(...(page.events ?? []));
  return events;
};

/** The whole history of a workflow's execution named `name` (the gateway names each after its x-request-id). */
export const historyOfNamed = async (client: SFNClient, workflow: string, name: string): Promise<HistoryEvent[]> => {
  const stateMachineArn = `arn:aws:states:local:000000000000:stateMachine:${workflow}`;
  const { executions } = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }));
  const execution = executions?.find((candidate) => candidate.name === name);
  if (!execution?.executionArn) throw new Error(`No ${workflow} execution named ${name}`);
  return wholeHistory(client, execution.executionArn, 1000);
};
