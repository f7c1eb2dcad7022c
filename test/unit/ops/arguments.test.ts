import { UsageError } from '#devtools/cli-runner';
import { parseOpsArguments } from '#ops/arguments';

describe('ops: argument parsing, alone', () => {
  test('help, and no command, answer with the usage (no command: exit code 2)', () => {
    expect(parseOpsArguments([])).toEqual({ usage: 2 });
    expect(parseOpsArguments(['help'])).toEqual({ usage: 0 });
    expect(parseOpsArguments(['executions', '--help'])).toEqual({ usage: 0 });
  });

  test('a command with its filters, checked and normalised', () => {
    const parsed = parseOpsArguments([
      'executions',
      '--status',
      'failed',
      '--workflow',
      'submit',
      '--answer',
      '4XX',
      '--since',
      '2026-11-01T00:00:00Z',
      '--json',
    ]);
    expect(parsed).toMatchObject({
      command: 'executions',
      status: 'FAILED',
      workflow: 'submit',
      answer: '4xx',
      since: new Date('2026-11-01T00:00:00Z'),
      options: { json: true },
    });
    expect(parseOpsArguments(['execution', 'arn:aws:states:x'])).toMatchObject({ argument: 'arn:aws:states:x' });
  });

  test('disputes: the list (--all), and resolve with its dispute id, outcome and note', () => {
    expect(parseOpsArguments(['disputes', '--all'])).toMatchObject({ command: 'disputes', options: { all: true } });
    expect(
      parseOpsArguments(['disputes', 'resolve', 'd-1', '--outcome', 'verified', '--note', 'Checked the statement']),
    ).toMatchObject({
      command: 'disputes',
      argument: 'resolve',
      disputeId: 'd-1',
      options: { outcome: 'verified', note: 'Checked the statement' },
    });
  });

  test.each([
    [['disputes', 'close', 'd-1'], 'disputes: unknown subcommand'],
    [['disputes', 'resolve'], 'disputes resolve needs a dispute id'],
    [['disputes', 'resolve', 'd-1', '--outcome', 'verified'], 'needs --outcome verified|corrected|deleted and --note'],
    [['disputes', '--note', 'x'], '--outcome and --note belong to'],
    [['disputes', 'resolve', 'd-1', 'd-2', '--outcome', 'verified', '--note', 'x'], 'Unexpected arguments: d-2'],
    [['deploy'], 'Unknown command: deploy'],
    [['trace', 'p-1', 'extra'], 'Unexpected arguments: extra'],
    [['executions', '--status', 'DONE'], '--status must be one of'],
    [['executions', '--workflow', 'other'], '--workflow must be submit or report'],
    [['executions', '--answer', 'nope'], '--answer must be'],
    [['executions', '--since', 'yesterday'], '--since must be like'],
  ])('%j is a usage error: %s', (argv, message) => {
    expect(() => parseOpsArguments(argv)).toThrow(UsageError);
    expect(() => parseOpsArguments(argv)).toThrow(message);
  });
});
