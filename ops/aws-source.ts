import type { SFNClient } from '@aws-sdk/client-sfn';
import type {
  ExecutionDetail,
  ExecutionListing,
  ExecutionQuery,
  ExecutionSource,
  MapRun,
  Workflow,
} from '#ops/execution';
import type { ExecutionLogs } from '#ops/execution-logs';
import { describeWithHistory, listExecutions, mapRunsOf, stateMachinesByWorkflow } from '#ops/step-functions-source';

/** How far back the logs are searched when no --since is given (Insights is billed by data scanned). */
export const DEFAULT_LOG_WINDOW_MS = 30 * 24 * 3600 * 1000;

/**
 * AWS: the Standard report runs through the Step Functions API; the Express submissions, which
 * that API neither lists nor describes, from their CloudWatch log group with Logs Insights.
 */
export class AwsSource implements ExecutionSource {
  constructor(
    private readonly stepFunctions: SFNClient,
    private readonly logs: ExecutionLogs,
    private readonly stateMachineArns?: Partial<Record<Workflow, string>>,
  ) {}

  async executions(query: ExecutionQuery): Promise<ExecutionListing[]> {
    const since = query.since ?? new Date(Date.now() - DEFAULT_LOG_WINDOW_MS);
    // A report run has no HTTP answer: an answer filter finds submissions only.
    const wantReports = query.workflow !== 'submit' && query.paymentId === undefined && query.answer === undefined;
    const wantSubmissions = query.workflow !== 'report';
    const reportArn = wantReports ? await this.stateMachineArn('report') : undefined;
    const [reports, submissions] = await Promise.all([
      reportArn ? listExecutions(this.stepFunctions, reportArn, { ...query, since }) : [],
      wantSubmissions ? this.logs.executions({ ...query, since }) : [],
    ]);
    return [...reports, ...submissions].sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  execution(executionArn: string, since?: Date): Promise<ExecutionDetail> {
    return executionArn.includes(':express:')
      ? this.logs.execution(executionArn, since ?? new Date(Date.now() - DEFAULT_LOG_WINDOW_MS))
      : describeWithHistory(this.stepFunctions, executionArn);
  }

  mapRuns(executionArn: string): Promise<MapRun[]> {
    // Express executions (the submissions) have no Distributed Map.
    return executionArn.includes(':express:') ? Promise.resolve([]) : mapRunsOf(this.stepFunctions, executionArn);
  }

  private async stateMachineArn(workflow: Workflow): Promise<string | undefined> {
    return this.stateMachineArns?.[workflow] ?? (await stateMachinesByWorkflow(this.stepFunctions)).get(workflow);
  }
}
