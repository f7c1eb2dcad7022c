import * as logs from 'aws-cdk-lib/aws-logs';

/**
 * What CloudWatch Logs masks in the workflows' execution logs (level ALL with execution data: each event's input and
 * output, where a submission's body and caller travel). Masked for every reader without `logs:Unmask`; the audit
 * statement counts findings in the log group's metrics. A value inside execution data is JSON inside a JSON string,
 * so each pattern allows the escaped quote (`\"`) as well as the plain one.
 */
export interface ExecutionDataPattern {
  name: string;
  /** As CloudWatch Logs reads a custom data identifier's regex (at most 200 characters). */
  regex: string;
}

export const EXECUTION_DATA_PATTERNS: readonly ExecutionDataPattern[] = [
  // A bearer token never enters an execution; if one ever did, it is masked.
  { name: 'AccessToken', regex: String.raw`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}` },
  // The user (and who submitted): the body's userId, the caller's sub and username, the stored submittedBy.
  {
    name: 'UserIdentity',
    regex: String.raw`(userId|sub|submittedBy|username)\\?"\s*:\s*\\?"[0-9A-Fa-f-]{36}`,
  },
  { name: 'PaymentDescription', regex: String.raw`description\\?"\s*:\s*\\?"[^"]{1,280}` },
  { name: 'PaymentAmount', regex: String.raw`(amount|amountMinor)\\?"\s*:\s*\\?"?-?[0-9][0-9.eE+-]*` },
];

/** The policy attached to each execution log group: those patterns and the managed e-mail identifier. */
export const executionDataProtectionPolicy = (workflowName: string): logs.DataProtectionPolicy =>
  new logs.DataProtectionPolicy({
    name: `${workflowName}-execution-data`,
    description: 'Masks tokens, user ids, payment descriptions and amounts in execution data',
    identifiers: [
      ...EXECUTION_DATA_PATTERNS.map((pattern) => new logs.CustomDataIdentifier(pattern.name, pattern.regex)),
      logs.DataIdentifier.EMAILADDRESS,
    ],
  });
