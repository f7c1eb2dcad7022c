import { parseArgs } from 'node:util';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDbPaymentRepository } from '#adapters/payment-repository';
import { DynamoDbReportRepository } from '#adapters/report-repository';
import { toDocumentClient } from '#adapters/dynamodb-client';
import { parseSince } from '#devtools/since';
import { stackDynamoDbEndpoint, stackSettings, stackSfnEndpoint } from '#devtools/stack-settings';
import { UsageError, runCli } from '#devtools/cli-runner';
import { localTableNames } from '#contract/tables';
import { EXECUTION_STATUSES, isExecutionStatus } from '#devtools/execution-status';
import { ANSWER_FILTER_HINT, parseAnswerFilter } from '#devtools/http-answer';
import { exactJson, visibleControlsByLine } from '#devtools/visible-controls';
import { AwsSource } from '#ops/aws-source';
import {
  type ExecutionDetail,
  type ExecutionListing,
  ExecutionNotFoundError,
  type ExecutionSource,
  type MapRun,
  type Workflow,
} from '#ops/execution';
import { ExecutionLogs } from '#ops/execution-logs';
import { executionPath } from '#ops/execution-path';
import { LocalStackSource, submissionStateMachines } from '#ops/step-functions-source';
import { formatDate, formatDuration, table } from '#ops/table';
import { type PaymentData, type PaymentTrace, tracePayment } from '#ops/trace';

const USAGE = `Usage: npm run ops -- <command> [options]

Commands:
  executions [--status FAILED] [--answer 4xx|409] [--since 1h] [--workflow submit|report] [--payment <id>]
      top-level executions, newest first, with each submission's HTTP answer (a refused one
      SUCCEEDS: --answer 4xx finds the refusals, --answer 409 the conflicts)
  execution <execution arn | payment id>
      the path through the states: each state's decision, duration and error, and the child
      executions of its Distributed Map runs (by payment id: the execution that stored it, else
      the latest attempt)
  trace <payment id>
      every submission attempt (rejected and replayed ones too), who sent it, each step's
      outcome, the stored payment, and the monthly reports that include it

Target (default: the local stack):
  --endpoint <url>          the local stack's Step Functions API (default http://localhost:$SFN_PORT, 8083)
  --profile <name>          AWS instead: this profile's account (with --region or AWS_REGION)
  --log-group <name>        AWS: the submit-payment execution log group (default: from the
                            state machine's logging configuration; the stack output
                            SubmitPaymentExecutionLogGroup names it)
Data (trace):
  --dynamodb-endpoint <url> local: DynamoDB (default $DYNAMODB_ENDPOINT, else http://localhost:$DYNAMODB_PORT, 8000)
  --table-prefix <prefix>   local: table name prefix (default $TABLE_PREFIX, empty)
Without these options the local stack is found as npm start serves it and npm run report finds it:
SFN_PORT, DYNAMODB_ENDPOINT, DYNAMODB_PORT and TABLE_PREFIX (see README).
  --payments-table <name>   the payments table (AWS: required for trace)
Output:
  --json                    machine output instead of aligned tables
  --since <1h|30m|7d|ISO>   only executions started since then (AWS default: 30 days)`;

const OPTIONS = {
  status: { type: 'string' },
  answer: { type: 'string' },
  since: { type: 'string' },
  workflow: { type: 'string' },
  payment: { type: 'string' },
  endpoint: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  'log-group': { type: 'string' },
  'dynamodb-endpoint': { type: 'string' },
  'table-prefix': { type: 'string' },
  'payments-table': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** `--since`: `1h`, `30m`, `7d`, `90s` before now, or an ISO date (the console's filter reads it the same way). */
export const sinceOption = (text: string, now = new Date()): Date => {
  const since = parseSince(text, now);
  if (!since) throw new UsageError(`--since must be like 1h, 30m, 7d or an ISO date, got ${JSON.stringify(text)}`);
  return since;
};

const workflowOption = (value: string | undefined): Workflow | undefined => {
  if (value === undefined) return undefined;
  if (value !== 'submit' && value !== 'report')
    throw new UsageError(`--workflow must be submit or report, got ${JSON.stringify(value)}`);
  return value;
};

const statusOption = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const status = value.toUpperCase();
  if (!isExecutionStatus(status))
    throw new UsageError(`--status must be one of ${EXECUTION_STATUSES.join(', ')}, got ${JSON.stringify(value)}`);
  return status;
};

const answerOption = (value: string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const answer = parseAnswerFilter(value);
  if (!answer) throw new UsageError(`--answer must be ${ANSWER_FILTER_HINT}, got ${JSON.stringify(value)}`);
  return answer;
};

/** Each submission state machine's log group, from its logging configuration (its ARN ends in `:log-group:<name>:*`). */
const discoverLogGroups = async (client: SFNClient): Promise<string[]> => {
  const stateMachineArns = await submissionStateMachines(client);
  if (stateMachineArns.length === 0)
    throw new UsageError('No submit-payment state machine in this account and region; pass --log-group');
  return Promise.all(
    stateMachineArns.map(async (stateMachineArn) => {
      const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn }));
      const arn = described.loggingConfiguration?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn ?? '';
      const name = /:log-group:([^:]+)/.exec(arn)?.[1];
      if (!name) throw new UsageError(`${stateMachineArn} has no log group configured; pass --log-group`);
      return name;
    }),
  );
};

interface Target {
  source: ExecutionSource;
  data: () => PaymentData;
  close: () => void;
}

const connect = async (options: Options): Promise<Target> => {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (options.profile) {
    const config = { profile: options.profile, ...(region ? { region } : {}) };
    const stepFunctions = new SFNClient(config);
    const logs = new CloudWatchLogsClient(config);
    const logGroupNames = options['log-group'] ? [options['log-group']] : await discoverLogGroups(stepFunctions);
    const dynamoDb = new DynamoDBClient(config);
    return {
      source: new AwsSource(
        stepFunctions,
        new ExecutionLogs(logs, { logGroupNames, warn: (message) => console.error(message) }),
      ),
      data: () => {
        const tableName = options['payments-table'];
        if (!tableName)
          throw new UsageError('In AWS, trace needs --payments-table <name> (the stack output PaymentsTableName)');
        return paymentData(dynamoDb, tableName);
      },
      close: () => [stepFunctions, logs, dynamoDb].forEach((client) => client.destroy()),
    };
  }
  // The local stack accepts any keys and region, as DynamoDB Local does.
  const local = { region: region ?? 'eu-west-2', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  // Found as npm start serves it and npm run report finds it: the same variables, read in one place.
  const stack = stackSettings();
  const endpoint = options.endpoint ?? stackSfnEndpoint(stack);
  const stepFunctions = new SFNClient({ ...local, endpoint });
  const dynamoDb = new DynamoDBClient({
    ...local,
    endpoint: options['dynamodb-endpoint'] ?? stackDynamoDbEndpoint(stack),
  });
  const tableName = options['payments-table'] ?? localTableNames(options['table-prefix'] ?? stack.tablePrefix).payments;
  return {
    source: new LocalStackSource(stepFunctions, endpoint),
    data: () => paymentData(dynamoDb, tableName),
    close: () => [stepFunctions, dynamoDb].forEach((client) => client.destroy()),
  };
};

const paymentData = (client: DynamoDBClient, tableName: string): PaymentData => {
  const documentClient = toDocumentClient(client);
  const payments = new DynamoDbPaymentRepository(documentClient, tableName);
  const reports = new DynamoDbReportRepository(documentClient, tableName);
  return { payment: (id) => payments.get(id), report: (userId, month) => reports.getReport(userId, month) };
};

const json = (value: unknown): string => exactJson(value);

const pathTable = (execution: ExecutionDetail): string =>
  table(
    ['STATE', 'TYPE', 'ENTERED', 'DURATION', 'DECISION', 'ERROR'],
    executionPath(execution.events).map((step) => [
      step.state,
      step.type,
      String(step.entered),
      formatDuration(step.durationMs),
      step.decision,
      step.error ? `${step.error}${step.cause ? `: ${step.cause}` : ''}` : '',
    ]),
  );

const executionReport = (execution: ExecutionDetail, mapRuns: readonly MapRun[]): string =>
  [
    `Execution  ${execution.executionArn}`,
    `Workflow   ${execution.workflow ?? execution.stateMachineArn}`,
    `Status     ${execution.status}${execution.error ? ` (${execution.error}${execution.cause ? `: ${execution.cause}` : ''})` : ''}`,
    `Started    ${formatDate(execution.startDate)}`,
    `Stopped    ${formatDate(execution.stopDate)}  (${formatDuration(execution.stopDate ? execution.stopDate.getTime() - execution.startDate.getTime() : undefined)})`,
    ...(execution.paymentId ? [`Payment    ${execution.paymentId}`] : []),
    ...(execution.httpStatus === undefined ? [] : [`HTTP       ${execution.httpStatus}`]),
    '',
    pathTable(execution),
    ...mapRunsReport(mapRuns),
  ].join('\n');

const durationOf = (item: ExecutionListing): string =>
  formatDuration(item.stopDate ? item.stopDate.getTime() - item.startDate.getTime() : undefined);

const executionsTable = (listed: readonly ExecutionListing[]): string =>
  table(
    ['STARTED', 'WORKFLOW', 'STATUS', 'HTTP', 'DURATION', 'PAYMENT', 'ERROR', 'EXECUTION'],
    listed.map((item) => [
      formatDate(item.startDate),
      item.workflow ?? '-',
      item.status,
      item.httpStatus === undefined ? '-' : String(item.httpStatus),
      durationOf(item),
      item.paymentId ?? '-',
      item.error ?? '-',
      item.executionArn,
    ]),
  );

/** Each map run's child executions, counted by status, then listed. */
const mapRunsReport = (mapRuns: readonly MapRun[]): string[] =>
  mapRuns.flatMap((run) => {
    const counts = new Map<string, number>();
    for (const child of run.executions) counts.set(child.status, (counts.get(child.status) ?? 0) + 1);
    const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
    return [
      '',
      `Map run ${run.mapRunArn}: ${run.executions.length} child executions${summary ? ` (${summary})` : ''}`,
      table(
        ['STARTED', 'STATUS', 'DURATION', 'ERROR', 'EXECUTION'],
        run.executions.map((child) => [
          formatDate(child.startDate),
          child.status,
          durationOf(child),
          child.error ?? '-',
          child.executionArn,
        ]),
      ),
    ];
  });

const traceReport = (trace: PaymentTrace): string => {
  const lines = [`Payment ${trace.paymentId}`, '', `Submission attempts (${trace.attempts.length}, oldest first):`];
  lines.push(
    table(
      ['#', 'STARTED', 'REQUEST ID', 'USER', 'CLIENT', 'HTTP', 'OUTCOME'],
      trace.attempts.map((attempt, index) => [
        String(index + 1),
        formatDate(attempt.startDate),
        attempt.requestId,
        attempt.user ?? '-',
        attempt.clientId ?? '-',
        attempt.httpStatus === undefined ? '-' : String(attempt.httpStatus),
        attempt.outcome,
      ]),
    ),
  );
  trace.attempts.forEach((attempt, index) => {
    const where =
      attempt.batchIndex === undefined
        ? ''
        : ` (payment ${attempt.batchIndex} of a batch: its states summed with the others')`;
    lines.push('', `Attempt ${index + 1}: ${attempt.executionArn}${where}`);
    lines.push(
      table(
        ['STATE', 'DURATION', 'DECISION', 'ERROR'],
        attempt.steps.map((step) => [step.state, formatDuration(step.durationMs), step.decision, step.error ?? '']),
      ),
    );
  });
  lines.push('', 'Stored payment:');
  if (trace.stored) {
    const stored = trace.stored;
    lines.push(
      table(
        ['FIELD', 'VALUE'],
        Object.entries(stored).map(([field, value]) => [field, String(value)]),
      ),
    );
  } else {
    lines.push('  none (never accepted)');
  }
  lines.push('', 'Monthly reports that include it:');
  lines.push(
    trace.reports.length > 0
      ? table(
          ['MONTH', 'USER', 'COMMITMENT', 'STREAK'],
          trace.reports.map((report) => [report.month, report.userId, report.commitment, String(report.streak)]),
        )
      : '  none yet',
  );
  return lines.join('\n');
};

/** `execution <payment id>`: the attempt that stored the payment, else the latest one. */
const executionOfPayment = async (
  source: ExecutionSource,
  paymentId: string,
  since?: Date,
): Promise<ExecutionDetail> => {
  const listed = await source.executions({ workflow: 'submit', paymentId, ...(since ? { since } : {}) });
  if (listed.length === 0) throw new ExecutionNotFoundError(`No submission of payment ${paymentId}`);
  const details = await Promise.all(listed.map((listing) => source.execution(listing.executionArn)));
  const created = details.find((detail) => (detail.output as { statusCode?: unknown } | undefined)?.statusCode === 201);
  return created ?? details[0]!;
};

/** The command, with its output given to `print` (stdout when run as `npm run ops`); returns the exit code. */
export const runOps = async (argv: string[], print: (text: string) => void = console.log): Promise<number> => {
  const { values: options, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  // Stored fields are whoever sent them: tables show their control characters as escapes (JSON escapes its own).
  const show = options.json ? print : (text: string) => print(visibleControlsByLine(text));
  const [command, argument, ...rest] = positionals;
  if (options.help || command === undefined || command === 'help') {
    print(USAGE);
    return command === undefined && !options.help ? 2 : 0;
  }
  if (rest.length > 0) throw new UsageError(`Unexpected arguments: ${rest.join(' ')}`);
  const since = options.since ? sinceOption(options.since) : undefined;
  const status = statusOption(options.status);
  const workflow = workflowOption(options.workflow);
  const answer = answerOption(options.answer);
  const needsArgument = (what: string): string => {
    if (!argument) throw new UsageError(`${command} needs ${what}`);
    return argument;
  };
  if (!['executions', 'execution', 'trace'].includes(command)) throw new UsageError(`Unknown command: ${command}`);

  const target = await connect(options);
  try {
    if (command === 'executions') {
      const listed = await target.source.executions({
        ...(workflow ? { workflow } : {}),
        ...(status ? { status } : {}),
        ...(since ? { since } : {}),
        ...(options.payment ? { paymentId: options.payment } : {}),
        ...(answer ? { answer } : {}),
      });
      show(options.json ? json(listed) : executionsTable(listed));
      return 0;
    }
    if (command === 'execution') {
      const key = needsArgument('an execution ARN or a payment id');
      const execution = key.startsWith('arn:')
        ? await target.source.execution(key)
        : await executionOfPayment(target.source, key, since);
      const mapRuns = await target.source.mapRuns(execution.executionArn);
      show(
        options.json
          ? json({ ...execution, path: executionPath(execution.events), mapRuns })
          : executionReport(execution, mapRuns),
      );
      return 0;
    }
    const trace = await tracePayment(needsArgument('a payment id'), target.source, target.data(), since);
    show(options.json ? json(trace) : traceReport(trace));
    return 0;
  } finally {
    target.close();
  }
};

if (require.main === module) {
  void runCli({
    usage: USAGE,
    main: (args) => runOps(args),
    describeFailure: (error) =>
      visibleControlsByLine(error instanceof ExecutionNotFoundError ? error.message : `ops failed: ${error.message}`),
  });
}
