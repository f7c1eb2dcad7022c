import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { MONTHLY_REPORT_WORKFLOW } from '#contract/workflows';
import { LAST_MONTH_A_RUN_COVERS, monthBefore, monthToReport } from '#domain/month';
import { localDynamoDbClient } from '#local/dynamodb/dynamodb-local';
import { ExecutionStore, executionsDir } from '#local/step-functions/execution-store';
import { handlerEnvironment } from '#local/lambda/handler-environment';
import { DEFAULT_LOG_LEVEL, stackDynamoDbEndpoint, stackSettings } from '#devtools/stack-settings';
import { ensureTables } from '#local/dynamodb/table-bootstrap';
import { localTableNames } from '#contract/tables';
import { workflowWithHandlers } from '#local/step-functions/workflow-runner';
import { functionTimeoutCap } from '#local/local-settings';
import { UsageError, runCli } from '#devtools/cli-runner';

/**
 * `npm run report -- [--month YYYY-MM]`: runs the monthly-report workflow from its ASL with the
 * real handlers against the local stack's DynamoDB (the same one `npm start` serves), and prints
 * the run summary as JSON on stdout. The default month is the previous one, as the schedule does.
 */
const USAGE = `Usage: npm run report -- [--month YYYY-MM]
  --month  the month to report on (default: the previous month, UTC)
Finds the local stack's DynamoDB as npm start does: DYNAMODB_ENDPOINT, else http://localhost:$DYNAMODB_PORT
(default 8000); tables named with TABLE_PREFIX (default empty). LOG_LEVEL (default WARN) for handler logs.
Records the execution under $DATA_DIR/executions (default .data), where the stack's API finds it (and stops it:
aws stepfunctions stop-execution against the stack's SFN_PORT). Exit codes: 0 the run succeeded; 1 it failed or was
stopped; 2 usage; 75 another run of the month is in progress (named on stderr): nothing was written, try again later.`;

/** EX_TEMPFAIL (sysexits.h): the month is held by another run; the same command later will work. */
const MONTH_HELD_EXIT_CODE = 75;

/** A Lambda-shaped cause ({errorType, errorMessage, trace}) as its message alone: the trace is for the record. */
const messageOf = (cause: string | undefined): string => {
  try {
    const { errorMessage } = JSON.parse(cause ?? '') as { errorMessage?: unknown };
    if (typeof errorMessage === 'string') return errorMessage;
  } catch {
    // Not Lambda-shaped: printed as it is.
  }
  return cause ?? '';
};

const parseMonth = (args: string[]): string | 'help' => {
  const { values } = parseArgs({ args, options: { month: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return 'help';
  const month = values.month ?? monthBefore(new Date());
  // The run's own rule (StartReportRun's), so a month it would refuse is a usage error here.
  const covered = monthToReport({ month });
  if (covered === undefined)
    throw new UsageError(`--month must be YYYY-MM, up to ${LAST_MONTH_A_RUN_COVERS}, got ${JSON.stringify(month)}`);
  return covered;
};

const main = async (args: string[]): Promise<number> => {
  const month = parseMonth(args);
  if (month === 'help') {
    console.log(USAGE);
    return 0;
  }
  const settings = stackSettings();
  const functionTimeoutCapSeconds = functionTimeoutCap();
  const endpoint = stackDynamoDbEndpoint(settings);
  const tableNames = localTableNames(settings.tablePrefix);
  Object.assign(
    process.env,
    handlerEnvironment(endpoint, tableNames, settings.logLevel ?? DEFAULT_LOG_LEVEL.reportRun),
  );

  const client = localDynamoDbClient(endpoint);
  try {
    // Creates nothing on a running stack; on a fresh database the run reports an empty month.
    await ensureTables(client, tableNames);
  } catch (error) {
    console.error(
      `No DynamoDB at ${endpoint} (${(error as Error).message}): start the local stack with npm start, or set DYNAMODB_ENDPOINT`,
    );
    return 1;
  } finally {
    client.destroy();
  }

  // Recorded beside the stack's own executions, so its Step Functions API lists this run too.
  const store = await ExecutionStore.open(executionsDir(settings.dataDir), { compact: false });
  const workflow = workflowWithHandlers(MONTHLY_REPORT_WORKFLOW, { store, functionTimeoutCapSeconds });
  const started = await workflow.startRecorded(`report-${month}-${randomUUID()}`, { month });
  // StopExecution through the stack's API reaches this process as a request beside the records.
  const unwatch = store.watchStopRequest(started.executionArn, (reason) => {
    void workflow.stop(started.executionArn, reason);
  });
  const execution = await started.done.finally(unwatch);
  await store.flush();
  console.error(`${execution.executionArn}: ${execution.status}`);
  if (execution.status !== 'SUCCEEDED') {
    console.error(`${execution.error ?? 'Stopped'}: ${messageOf(execution.cause)}`);
    return execution.error === 'ReportRunInProgress' ? MONTH_HELD_EXIT_CODE : 1;
  }
  console.log(JSON.stringify(execution.output, null, 2));
  return 0;
};

void runCli({ usage: USAGE, main, describeFailure: (error) => `The report run could not start: ${error.message}` });
