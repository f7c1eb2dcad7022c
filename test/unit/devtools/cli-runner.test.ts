import { parseArgs } from 'node:util';
import { type CliProgram, UsageError, cliOutcome, runCli } from '#devtools/cli-runner';
import { InvalidStackSettingError, stackSettings } from '#devtools/stack-settings';

const USAGE = 'Usage: npm run example -- --flag';

/** Runs the program as a process would, recording what it prints and how it exits. */
const run = async (program: Omit<CliProgram, 'usage'>, args: string[] = []) => {
  const ended = { stderr: [] as string[], exitCode: undefined as number | undefined };
  await runCli({ usage: USAGE, ...program }, args, {
    stderr: (text) => ended.stderr.push(text),
    exit: (code) => (ended.exitCode = code),
  });
  return ended;
};

describe('the command-line runner every entry point shares', () => {
  test('success: exit 0 when main returns nothing, else its code; nothing printed', async () => {
    expect(await run({ main: async () => undefined })).toEqual({ stderr: [], exitCode: 0 });
    expect(await run({ main: async () => 1 })).toEqual({ stderr: [], exitCode: 1 });
  });

  test('main is given the arguments', async () => {
    const seen: string[][] = [];
    await run({ main: async (args) => void seen.push(args) }, ['--month', '2026-10']);
    expect(seen).toEqual([['--month', '2026-10']]);
  });

  test('a usage error: exit 2, its message, a blank line, the usage', async () => {
    const ended = await run({
      main: async () => {
        throw new UsageError('--user <uuid> is required');
      },
    });
    expect(ended).toEqual({ exitCode: 2, stderr: [`--user <uuid> is required\n\n${USAGE}`] });
  });

  test("node:util parseArgs's own errors (unknown option, missing value) are usage errors", async () => {
    const strict = async (args: string[]) => void parseArgs({ args, options: { user: { type: 'string' } } });
    const unknown = await run({ main: strict }, ['--audience', 'x']);
    expect(unknown).toEqual({ exitCode: 2, stderr: [expect.stringContaining("Unknown option '--audience'")] });
    const missing = await run({ main: strict }, ['--user']);
    expect(missing).toEqual({
      exitCode: 2,
      stderr: [expect.stringContaining("Option '--user <value>' argument missing")],
    });
    expect(missing.stderr[0]).toContain(USAGE);
  });

  test('an unusable stack setting is a usage error naming the variable', async () => {
    const ended = await run({ main: async () => void stackSettings({ SFN_PORT: 'eighty' }) });
    expect(ended).toEqual({ exitCode: 2, stderr: [expect.stringContaining('SFN_PORT must be a port number')] });
    expect(new InvalidStackSettingError('x')).toMatchObject({ name: 'InvalidStackSetting' });
  });

  test('any other error: exit 1, described as the program says, with each cause on its own line', async () => {
    const ended = await run({
      main: async () => {
        throw new Error('fetch failed', { cause: new Error('connect ECONNREFUSED', { cause: 'refused' }) });
      },
      describeFailure: (error) => `ops failed: ${error.message}`,
    });
    expect(ended).toEqual({
      exitCode: 1,
      stderr: ['ops failed: fetch failed\ncaused by: connect ECONNREFUSED\ncaused by: refused'],
    });
  });

  test('without a description, the message alone; a thrown non-error is shown as text', () => {
    const program: CliProgram = { usage: USAGE, main: async () => 0 };
    expect(cliOutcome(program, { error: new Error('No execution x') })).toEqual({
      exitCode: 1,
      message: 'No execution x',
    });
    expect(cliOutcome(program, { error: 'a string' })).toEqual({ exitCode: 1, message: 'a string' });
  });

  test('a cause chain that is a cycle is shown a bounded number of times', () => {
    const error = new Error('outer');
    error.cause = error;
    const { message } = cliOutcome({ usage: USAGE, main: async () => 0 }, { error });
    expect(message?.split('\n')).toHaveLength(11);
  });

  test("silences the AWS SDK's Node-version notice unless the environment already decided", async () => {
    const before = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    try {
      delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      await run({
        main: async () => expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true'),
      });
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'false';
      await run({
        main: async () => expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('false'),
      });
    } finally {
      if (before === undefined) delete process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      else process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = before;
    }
  });
});
