/** The statuses of a Step Functions execution, as its API names them (ListExecutions' statusFilter). */
export const EXECUTION_STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const isExecutionStatus = (value: unknown): value is ExecutionStatus =>
  EXECUTION_STATUSES.some((status) => status === value);
