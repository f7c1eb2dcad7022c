import { UsageError, runCli } from '#devtools/cli-runner';
import { exactJson, visibleControlsByLine } from '#devtools/visible-controls';
import { ExecutionNotFoundError, type ExecutionDetail, type ExecutionSource } from '#ops/execution';
import { executionPath } from '#ops/execution-path';
import { tracePayment } from '#ops/trace';
import { type ParsedArguments, USAGE, parseOpsArguments } from '#ops/arguments';
import { type Target, connect } from '#ops/connection';
import {
  consentReport,
  disputesReport,
  executionReport,
  executionsTable,
  overdueWarnings,
  resolvedReport,
  traceReport,
} from '#ops/render';
import { DisputeNotFoundError, listedDisputes, overdueDisputes, resolveFromOps } from '#ops/disputes';
import { canonicalUserId } from '#domain/user-id';

export { sinceOption } from '#ops/arguments';

const json = (value: unknown): string => exactJson(value);

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

/** `disputes [--all]` and `disputes resolve <id> --outcome --note`. */
const disputesOutput = async ({ options, argument, disputeId }: ParsedArguments, target: Target): Promise<string> => {
  const stores = target.disputeStores();
  if (argument === 'resolve' && disputeId !== undefined) {
    const resolved = await resolveFromOps(stores, disputeId, options, new Date());
    return options.json ? json(resolved) : resolvedReport(resolved);
  }
  const listed = await listedDisputes(stores, options.all === true, new Date());
  return options.json ? json(listed) : disputesReport(listed, options.all === true);
};

/** What the parsed command prints, asked of the connected source. */
const commandOutput = async (parsed: ParsedArguments, target: Target): Promise<string> => {
  const { options, command, since, status, workflow, answer } = parsed;
  const needsArgument = (what: string): string => {
    if (!parsed.argument) throw new UsageError(`${command} needs ${what}`);
    return parsed.argument;
  };
  if (command === 'executions') {
    const listed = await target.source.executions({
      ...(workflow ? { workflow } : {}),
      ...(status ? { status } : {}),
      ...(since ? { since } : {}),
      ...(options.payment ? { paymentId: options.payment } : {}),
      ...(answer ? { answer } : {}),
    });
    if (options.json) return json(listed);
    // The overview: open disputes past their deadline first, where the payments table is known.
    const overdue = target.knowsPaymentsTable ? await overdueDisputes(target.disputeStores(), new Date()) : [];
    return [...overdueWarnings(overdue), ...(overdue.length > 0 ? [''] : []), executionsTable(listed)].join('\n');
  }
  if (command === 'disputes') return disputesOutput(parsed, target);
  if (command === 'execution') {
    const key = needsArgument('an execution ARN or a payment id');
    const execution = key.startsWith('arn:')
      ? await target.source.execution(key)
      : await executionOfPayment(target.source, key, since);
    const mapRuns = await target.source.mapRuns(execution.executionArn);
    return options.json
      ? json({ ...execution, path: executionPath(execution.events), mapRuns })
      : executionReport(execution, mapRuns);
  }
  if (command === 'consent') {
    const changes = (await target.consentChanges(canonicalUserId(needsArgument('a user id')))).filter(
      (change) => parsed.commitmentId === undefined || change.commitmentId === parsed.commitmentId,
    );
    return options.json ? json(changes) : consentReport(changes);
  }
  const trace = await tracePayment(needsArgument('a payment id'), target.source, target.data(), since);
  return options.json ? json(trace) : traceReport(trace);
};

/** The command, with its output given to `print` (stdout when run as `npm run ops`); returns the exit code. */
export const runOps = async (argv: string[], print: (text: string) => void = console.log): Promise<number> => {
  const parsed = parseOpsArguments(argv);
  if ('usage' in parsed) {
    print(USAGE);
    return parsed.usage;
  }
  const target = await connect(parsed.options);
  try {
    const output = await commandOutput(parsed, target);
    // Stored fields are whoever sent them: tables show their control characters as escapes (JSON escapes its own).
    print(parsed.options.json ? output : visibleControlsByLine(output));
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
      visibleControlsByLine(
        error instanceof ExecutionNotFoundError || error instanceof DisputeNotFoundError
          ? error.message
          : `ops failed: ${error.message}`,
      ),
  });
}
