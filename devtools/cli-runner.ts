/**
 * How every command-line entry point ends (`npm run token`, `keys`, `report`, `ops`, `docs:openapi`,
 * `bench`, `bench:report`): a usage error prints its message and the usage and exits 2; any
 * other error prints its message, and its causes, and exits 1; otherwise the exit code is main's
 * (0 when it returns none). In devtools/ because local/, ops/, scripts/ and bench/ all run through
 * it, and nothing deployed needs it.
 */

/** The command line was wrong (a bad option, a missing argument, an unusable setting): exit 2 with the usage. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

export interface CliProgram {
  /** Printed after a usage error's message. */
  usage: string;
  /** The command, given the arguments after the script; resolves to its exit code (0 when it returns none). */
  main: (args: string[]) => Promise<number | void>;
  /** The line for an error that is not a usage error (default: its message), e.g. `Could not issue a token: …`. */
  describeFailure?: (error: Error) => string;
}

export interface CliOutcome {
  exitCode: number;
  /** What goes to stderr, if anything. */
  message?: string;
}

export const USAGE_EXIT_CODE = 2;
export const FAILURE_EXIT_CODE = 1;

/** node:util parseArgs throws errors coded ERR_PARSE_ARGS_* (an unknown option, a missing value). */
const isParseArgsError = (error: unknown): boolean =>
  String((error as { code?: unknown } | undefined)?.code).startsWith('ERR_PARSE_ARGS');

const causes = (error: Error): string[] => {
  const lines: string[] = [];
  // Bounded: a cause chain can be a cycle.
  for (
    let cause = error.cause;
    cause !== undefined && lines.length < 10;
    cause = cause instanceof Error ? cause.cause : undefined
  ) {
    lines.push(`caused by: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  return lines;
};

/** What a program's end means for its caller: the exit code and the message, for an error or a code. */
export const cliOutcome = (program: CliProgram, ended: { code: number | void } | { error: unknown }): CliOutcome => {
  if ('code' in ended) return { exitCode: ended.code ?? 0 };
  const { error } = ended;
  if (error instanceof UsageError || isParseArgsError(error)) {
    return { exitCode: USAGE_EXIT_CODE, message: `${(error as Error).message}\n\n${program.usage}` };
  }
  const failure = error instanceof Error ? error : new Error(String(error));
  const described = program.describeFailure ? program.describeFailure(failure) : failure.message;
  return { exitCode: FAILURE_EXIT_CODE, message: [described, ...causes(failure)].join('\n') };
};

export interface CliProcess {
  stderr: (text: string) => void;
  exit: (code: number) => void;
}

const NODE_PROCESS: CliProcess = {
  stderr: (text) => console.error(text),
  exit: (code) => process.exit(code),
};

/**
 * Runs `program.main` with the process's arguments and exits as its outcome says. The AWS SDK's
 * notice that its 2027 releases need Node 22 is known (README) and silenced here, before any
 * client exists, unless the environment says otherwise; child processes inherit the setting.
 */
export const runCli = async (
  program: CliProgram,
  args = process.argv.slice(2),
  io: CliProcess = NODE_PROCESS,
): Promise<void> => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let outcome: CliOutcome;
  try {
    outcome = cliOutcome(program, { code: await program.main(args) });
  } catch (error) {
    outcome = cliOutcome(program, { error });
  }
  if (outcome.message !== undefined) io.stderr(outcome.message);
  io.exit(outcome.exitCode);
};
