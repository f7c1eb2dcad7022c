import { parseArgs } from 'node:util';
import { parseSince } from '#devtools/since';
import { UsageError } from '#devtools/cli-runner';
import { EXECUTION_STATUSES, isExecutionStatus } from '#devtools/execution-status';
import { ANSWER_FILTER_HINT, parseAnswerFilter } from '#devtools/http-answer';
import type { Workflow } from '#ops/execution';

export const USAGE = `Usage: npm run ops -- <command> [options]

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
  consent <user id> [<commitment id>]
      a customer's consent changes to the credit file (append-only: when, which app, from, to),
      oldest first; a commitment with none has the stage default (AWS: with --payments-table)
  disputes [--all]
      open disputes oldest first with their age in days (--all: resolved ones too); a WARNING
      line for each open more than 30 days (AWS: with --payments-table)
  disputes resolve <dispute id> --outcome verified|corrected|deleted --note "<text>"
      resolves one (final; audited as you, client npm-run-ops), as POST /disputes/{id}/resolution does

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
  all: { type: 'boolean' },
  outcome: { type: 'string' },
  note: { type: 'string' },
} as const;

export type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

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

export type OpsCommand = 'executions' | 'execution' | 'trace' | 'consent' | 'disputes';

const COMMANDS: readonly string[] = ['executions', 'execution', 'trace', 'consent', 'disputes'];

/** The commands that take a second positional argument (consent: a commitment id; disputes resolve: a dispute id). */
const TAKES_SECOND: readonly string[] = ['consent', 'disputes'];

/** A command line, parsed and checked: what runOps connects with and asks for. */
export interface ParsedArguments {
  options: Options;
  command: OpsCommand;
  /** The execution ARN or payment id the command names (checked by the command that needs it). */
  argument?: string;
  /** `consent`'s optional second argument: one commitment of the customer's. */
  commitmentId?: string;
  /** `disputes resolve <id>`: the dispute. */
  disputeId?: string;
  since?: Date;
  status?: string;
  workflow?: Workflow;
  answer?: string;
}

/** `disputes` lists; `disputes resolve <id>` needs the outcome and the note (their rules are the API's: cli.ts). */
const checkDisputesArguments = (
  argument: string | undefined,
  disputeId: string | undefined,
  options: Options,
): void => {
  if (argument === undefined) {
    if (options.outcome !== undefined || options.note !== undefined)
      throw new UsageError('--outcome and --note belong to: disputes resolve <dispute id>');
    return;
  }
  if (argument !== 'resolve') throw new UsageError(`disputes: unknown subcommand ${JSON.stringify(argument)}`);
  if (disputeId === undefined) throw new UsageError('disputes resolve needs a dispute id');
  if (options.outcome === undefined || options.note === undefined)
    throw new UsageError('disputes resolve needs --outcome verified|corrected|deleted and --note "<text>"');
};

/** The usage text's answer (`help`, or no command: exit code 2), else the parsed command; throws UsageError. */
export const parseOpsArguments = (argv: string[]): { usage: number } | ParsedArguments => {
  const { values: options, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [command, argument, ...more] = positionals;
  const [second, ...rest] = TAKES_SECOND.includes(command ?? '') ? more : [undefined, ...more];
  if (options.help || command === undefined || command === 'help')
    return { usage: command === undefined && !options.help ? 2 : 0 };
  if (rest.length > 0) throw new UsageError(`Unexpected arguments: ${rest.join(' ')}`);
  const since = options.since ? sinceOption(options.since) : undefined;
  const status = statusOption(options.status);
  const workflow = workflowOption(options.workflow);
  const answer = answerOption(options.answer);
  if (!COMMANDS.includes(command)) throw new UsageError(`Unknown command: ${command}`);
  if (command === 'disputes') checkDisputesArguments(argument, second, options);
  const secondKey = command === 'disputes' ? 'disputeId' : 'commitmentId';
  return {
    options,
    command: command as OpsCommand,
    ...(argument === undefined ? {} : { argument }),
    ...(second === undefined ? {} : { [secondKey]: second }),
    ...(since ? { since } : {}),
    ...(status ? { status } : {}),
    ...(workflow ? { workflow } : {}),
    ...(answer ? { answer } : {}),
  };
};
